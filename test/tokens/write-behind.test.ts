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
