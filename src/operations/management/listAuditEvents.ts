import type { Deps } from '../../deps.js';
import { auditEventKinds, listAuditEvents as listEvents } from '../../domain/audit-events.js';
import { InvalidRequest } from '../../errors.js';
import { managementPage } from '../../usergrid/envelopes.js';
import type { OperationHandler } from '../types.js';
import { organizationOf } from '../context.js';

const knownKinds: ReadonlySet<string> = new Set(auditEventKinds);

/** The kinds asked for, repeated or comma-separated; an unknown one is a 400 rather than an empty page that hides a typo. */
function kindsOf(query: readonly string[] | string | undefined): string[] | undefined {
  if (query === undefined) return undefined;
  const kinds = (Array.isArray(query) ? query : [query]).flatMap((value) => value.split(',')).map((kind) => kind.trim()).filter(Boolean);
  const unknown = kinds.find((kind) => !knownKinds.has(kind));
  if (unknown !== undefined) throw new InvalidRequest(`kind must be one of ${auditEventKinds.join(', ')}`);
  return kinds.length ? kinds : undefined;
}

/** `GET /management/orgs/{org}/audit-events`: the organization's events, newest first (`organization-admin-user`: its admins and the superuser). */
export const listAuditEvents = (deps: Deps): OperationHandler<'listAuditEvents'> => async (c, ctx) => {
  const { kind, since, until, cursor, limit } = c.request.query;
  const types = kindsOf(kind);
  const filter = { ...(types && { types }), ...(since !== undefined && { since: Number(since) }), ...(until !== undefined && { until: Number(until) }) };
  const result = await listEvents(deps, organizationOf(ctx), filter, cursor, limit === undefined ? undefined : Number(limit));
  return { status: 200, body: managementPage(ctx, deps.clock, 'get audit events', result.items, result.cursor) };
};
