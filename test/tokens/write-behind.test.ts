import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenReference } from '../../src/tokens/token-store.js';
import type { TokenRecord } from '../../src/tokens/kinds.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { ManualClock, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The write-behind of last-used times (`TokenStore.flush`: once a minute, and at shutdown) with
 * many tokens at once, on SQLite and on PostgreSQL: every use reaches its row, no row goes back in
 * time, and a flush never keeps the database from the requests served meanwhile.
 */
const clock = new ManualClock();
const hour = 3600_000;
let server: TestServer;
let acme: OrganizationFixture;

beforeAll(async () => {
  server = await startTestServer({ clock });
  acme = await createOrganization(server.url, 'acme');
});
afterAll(() => server?.close());

/** `count` access tokens of application users, issued together; the n-th stands for `subjectIds[n % length]`. */
async function issueUserTokens(count: number, subjectIds: number[] = [0]): Promise<TokenRecord[]> {
  const issued = await Promise.all(
    Array.from({ length: count }, (_, n) =>
      server.deps.tokens.issue('access', {
        principalKind: 'appUser', organizationId: null, applicationId: acme.app.applicationId,
        subjectKind: 'user', subjectId: subjectIds[n % subjectIds.length]!, lifetimeMs: null,
      }),
    ),
  );
  return issued.map(({ token }) => token);
}

/** Application users made for these tests only (the write-behind also writes their last requests). */
async function makeUsers(prefix: string, count: number): Promise<number[]> {
  const rows = Array.from({ length: count }, (_, n) => ({
    uuid: `00000000-0000-4000-8000-${prefix}${String(n).padStart(12 - prefix.length, '0')}`,
    application_id: acme.app.applicationId, username: `${prefix}-${n}`, password_hash: 'unused', properties: '{}',
    password_changed_at: clock.now(), created_at: clock.now(), modified_at: clock.now(),
  }));
  const inserted = (await server.deps.db('app_users').insert(rows).returning('id')) as { id: number }[];
  return inserted.map(({ id }) => Number(id));
}

const useAll = (tokens: TokenRecord[]) => tokens.forEach((token) => server.deps.tokens.touch(new TokenReference(token)));

async function lastUses(tokens: TokenRecord[]): Promise<Map<number, number>> {
  const rows = (await server.deps.db('tokens').whereIn('id', tokens.map((t) => t.id)).select('id', 'last_used_at')) as { id: number; last_used_at: number }[];
  return new Map(rows.map((row) => [Number(row.id), Number(row.last_used_at)]));
}

describe('last-use times written behind for many tokens at once', () => {
  it('writes the use of every one of 1,300 tokens and the last request of each of their 300 users, and moves none of them back', async () => {
    const users = await makeUsers('a', 300);
    const tokens = await issueUserTokens(1300, users);
    const issuedAt = clock.now();
    // Another instance already wrote later uses of every third token and later requests of every third user.
    const laterElsewhere = issuedAt + 10 * hour;
    const usedElsewhere = tokens.filter((_, n) => n % 3 === 0);
    await server.deps.db('tokens').whereIn('id', usedElsewhere.map((t) => t.id)).update({ last_used_at: laterElsewhere });
    const requestedElsewhere = users.filter((_, n) => n % 3 === 0);
    await server.deps.db('app_users').whereIn('id', requestedElsewhere).update({ last_request_at: laterElsewhere });

    clock.advance(hour);
    useAll(tokens);
    const statements: { sql: string; bindings?: unknown[] }[] = [];
    const listen = (query: { sql: string; bindings?: unknown[] }) => statements.push(query);
    server.deps.db.on('query', listen);
    await server.deps.tokens.flush().finally(() => server.deps.db.off('query', listen));

    const stored = await lastUses(tokens);
    for (const token of tokens) expect(stored.get(token.id), `token ${token.id}`).toBe(usedElsewhere.includes(token) ? laterElsewhere : clock.now());
    const requests = (await server.deps.db('app_users').whereIn('id', users).select('id', 'last_request_at')) as { id: number; last_request_at: number }[];
    for (const { id, last_request_at } of requests) {
      expect(Number(last_request_at), `user ${id}`).toBe(requestedElsewhere.includes(Number(id)) ? laterElsewhere : clock.now());
    }
    // A few hundred rows a statement: neither one statement per token nor one for them all.
    const updates = statements.filter(({ sql }) => /^\s*update\s/i.test(sql));
    expect(updates.length).toBeGreaterThanOrEqual(Math.ceil(1300 / 512) + Math.ceil(300 / 512));
    expect(updates.length).toBeLessThan(40);
    for (const { bindings } of updates) expect(bindings?.length ?? 0).toBeLessThanOrEqual(1024);
  });

  it('lets a token be issued while a flush of 3,000 uses is being written, without waiting for it to end', async () => {
    const tokens = await issueUserTokens(3000);
    clock.advance(hour);
    useAll(tokens);
    let flushEnded = false;
    const flushing = server.deps.tokens.flush().then(() => {
      flushEnded = true;
    });
    await issueUserTokens(1);
    expect(flushEnded).toBe(false);
    await flushing;
    expect(new Set((await lastUses(tokens)).values())).toEqual(new Set([clock.now()]));
  });

  it('writes at shutdown, after the flush already under way, every use that came while it was being written', async () => {
    const [first, second] = [await issueUserTokens(2000), await issueUserTokens(10)];
    clock.advance(hour);
    useAll(first!);
    const byTimer = server.deps.tokens.flush();
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(1000);
    useAll(second!);
    // The store still counts the uses being written: a sliding expiry is never judged without them.
    expect(server.deps.tokens.lastUsedAt(first![0]!)).toBe(clock.now() - 1000);
    await server.deps.tokens.flush();
    // Resolved once both are written: after it, shutdown closes the database.
    expect(new Set((await lastUses(first!)).values())).toEqual(new Set([clock.now() - 1000]));
    expect(new Set((await lastUses(second!)).values())).toEqual(new Set([clock.now()]));
    await byTimer;
  });
});
