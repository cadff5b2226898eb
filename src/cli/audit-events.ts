import { exitCodes, UsageError, type Command } from './command.js';
import { signedIn, succeeded } from './remote/client.js';
import { integer, jsonOption, optional, printJson, printTable, time } from './remote/output.js';
import { organizationOf, organizationOption } from './remote/scope.js';

const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** ms since the epoch from ms since the epoch, an ISO 8601 date or time, or an age (`15m`, `24h`, `7d`) before `now`. */
export function instant(text: string, option: string, now: number): number {
  if (/^\d+$/.test(text)) return Number(text);
  const age = /^(\d+)([smhd])$/.exec(text);
  if (age) return now - Number(age[1]) * units[age[2]!]!;
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed) || parsed < 0) throw new UsageError(`--${option} must be ms since the epoch, an ISO 8601 time or an age such as 24h (${JSON.stringify(text)})`);
  return parsed;
}

function who(actor: { type: string; username?: string; client_id?: string; token_id?: number } | null): string | undefined {
  if (!actor) return undefined;
  const name = actor.username ?? actor.client_id ?? (actor.token_id !== undefined ? `token ${actor.token_id}` : undefined);
  return name ? `${actor.type}:${name}` : actor.type;
}

export const listAuditEventsCommand: Command = {
  name: ['audit-events', 'list'],
  summary: "List an organization's audit events, newest first (filter by kind and time)",
  details: `GET /management/orgs/{org}/audit-events. --kind may be repeated (or hold kinds separated by commas).
--since and --until take ms since the epoch, an ISO 8601 time (2026-01-31T12:00:00Z) or an age before
now (30m, 24h, 7d). When there are older events, the cursor of the next page is printed on stderr.
Exit codes: 0 listed, 1 failed (e.g. 400 an unknown kind), 2 wrong usage, 4 not signed in.`,
  options: {
    ...organizationOption,
    kind: { type: 'string', multiple: true, value: '<kind>', description: 'Only events of this kind, e.g. auth.failed (repeat for more)' },
    since: { type: 'string', value: '<time>', description: 'Only events at or after this time' },
    until: { type: 'string', value: '<time>', description: 'Only events at or before this time' },
    limit: { type: 'string', value: '<n>', description: 'Events per page (1 to 1000)' },
    cursor: { type: 'string', value: '<cursor>', description: 'The page after the one that printed it' },
    ...jsonOption,
  },
  async run(options, env) {
    const org = organizationOf(options, env);
    const now = Date.now();
    const since = optional(options, 'since');
    const until = optional(options, 'until');
    const limit = integer(options, 'limit', 1, 1000);
    const cursor = optional(options, 'cursor');
    const kind = Array.isArray(options.kind) ? options.kind : undefined;
    const query = {
      ...(kind && { kind }),
      ...(since !== undefined && { since: instant(since, 'since', now) }),
      ...(until !== undefined && { until: instant(until, 'until', now) }),
      ...(limit !== undefined && { limit }),
      ...(cursor !== undefined && { cursor }),
    };
    const { api, url } = signedIn(env);
    const answer = await succeeded(api.GET('/management/orgs/{org}/audit-events', { params: { path: { org }, query } }), url);
    if (options.json) printJson(answer);
    else {
      printTable(
        ['time', 'kind', 'count', 'application', 'actor', 'subject', 'source', 'details'],
        answer.data.map((e) => [time(e.last_time), e.kind, e.count, e.application, who(e.actor), e.subject, e.source_address, Object.keys(e.details).length ? e.details : undefined]),
      );
      if (answer.cursor) process.stderr.write(`More: --cursor ${answer.cursor}\n`);
    }
    return exitCodes.ok;
  },
};
