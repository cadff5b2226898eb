import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bruteForceGuard, perSourcePolicy } from '../../src/auth/attempts.js';
import { DatabaseThrottle, staleReservationMs } from '../../src/auth/throttle.js';
import { InvalidClient } from '../../src/errors.js';
import { tessera } from '../helpers/api.js';
import { freshDatabase, type ScratchDatabase } from '../helpers/database.js';
import { ManualClock, startTestServer, superuser } from '../helpers/server.js';

type Api = ReturnType<typeof tessera>;
const adminSignIn = (api: Api, password: string) => api.POST('/management/token', { body: { grant_type: 'password', username: superuser.username, password } });

/** Wrong guesses, one after the other, until the server refuses one; how many it checked. */
async function guessUntilRefused(api: Api): Promise<number> {
  for (let checked = 0; checked < 20; checked++) {
    if ((await adminSignIn(api, `wrong-guess-${checked}`)).response.status === 429) return checked;
  }
  throw new Error('20 wrong guesses and still no 429');
}

describe('brute-force counters kept in the database', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.drop());

  it('keeps the count of wrong passwords across a restart, and purges it once forgotten', async () => {
    const clock = new ManualClock();
    const config = { secretKey: randomBytes(32).toString('hex') };
    const before = await startTestServer({ clock, config, database });
    try {
      for (let i = 0; i < 3; i++) expect((await adminSignIn(tessera(before.url), `wrong-${i}`)).response.status).toBe(400);
    } finally {
      await before.close();
    }
    const after = await startTestServer({ clock, config, database });
    try {
      // Five free failures in all: the three before the restart still count.
      expect(await guessUntilRefused(tessera(after.url))).toBe(2);
      const refused = await adminSignIn(tessera(after.url), superuser.password);
      expect(refused.response.status).toBe(429);
      expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
      // A counter is kept while its rule remembers it (15 min after the latest failure), then swept.
      expect((await after.sweep()).attemptCounters).toBe(0);
      clock.advance(16 * 60_000);
      expect((await after.sweep()).attemptCounters).toBe(2);
      expect((await adminSignIn(tessera(after.url), superuser.password)).response.status).toBe(200);
    } finally {
      await after.close();
    }
  });

  it('frees the place of a check whose process stopped before it settled, after a minute, and keeps its failure counted', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock });
    try {
      const throttle = new DatabaseThrottle(server.deps.repositories.attemptCounters, clock);
      const claims = [{ key: 'admin:crashed|127.0.0.1', policy: perSourcePolicy }];
      const granted = { granted: true, at: expect.any(Number) };
      // Two checks reserved and never settled, as a process killed during scrypt leaves them.
      for (let i = 0; i < 2; i++) expect(await throttle.reserve(claims)).toEqual(granted);
      expect(await throttle.reserve(claims)).toEqual({ granted: false, retryAfterMs: 1000 });
      clock.advance(staleReservationMs + 1);
      const third = await throttle.reserve(claims);
      expect(third).toEqual(granted);
      await throttle.failed(claims, (third as { at: number }).at);
      const [counter] = await server.deps.repositories.attemptCounters.read([claims[0]!.key]);
      expect(counter).toMatchObject({ count: 3, reservations: [] });
    } finally {
      await server.close();
    }
  });

  it('frees a dead check after a minute although the key is used all the while (each check keeps its own time)', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock });
    try {
      const throttle = new DatabaseThrottle(server.deps.repositories.attemptCounters, clock);
      const claims = [{ key: 'app-user:busy|127.0.0.1', policy: perSourcePolicy }];
      // One check whose process died: reserved, never settled.
      expect((await throttle.reserve(claims)).granted).toBe(true);
      // The owner signs in every 20 s meanwhile, each time rightly: reserved and given back.
      for (let i = 0; i < 4; i++) {
        clock.advance(20_000);
        const check = await throttle.reserve(claims);
        expect(check.granted).toBe(true);
        await throttle.refund(claims, (check as { at: number }).at);
      }
      // 80 s after the dead check: both places are free again, for two checks at once.
      const both = await Promise.all([throttle.reserve(claims), throttle.reserve(claims)]);
      expect(both.map((r) => r.granted)).toEqual([true, true]);
    } finally {
      await server.close();
    }
  });

  it('lets no check past the free ones while the failures of those still running are not known', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock });
    try {
      const throttle = new DatabaseThrottle(server.deps.repositories.attemptCounters, clock);
      // A rule whose checks in flight outnumber its free attempts, as the account-wide ceiling's can near its end.
      const claims = [{ key: 'app-user:burst', policy: { ...perSourcePolicy, freeAttempts: 2, maxInFlight: 10 } }];
      const reservations = await Promise.all(Array.from({ length: 6 }, () => throttle.reserve(claims)));
      expect(reservations.filter((r) => r.granted)).toHaveLength(2);
      expect(reservations.filter((r) => !r.granted)).toEqual(Array.from({ length: 4 }, () => ({ granted: false, retryAfterMs: 1000 })));
      for (const r of reservations) if (r.granted) await throttle.failed(claims, r.at);
      // Both failed: the third waits 1 s from the latest failure, as one after the other would.
      expect(await throttle.reserve(claims)).toEqual({ granted: false, retryAfterMs: 1000 });
      clock.advance(1000);
      expect((await throttle.reserve(claims)).granted).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('answers at most five of 30 wrong client secrets compared at once with the failure, the rest 429, however the counting transactions interleave', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ clock });
    try {
      const { attemptCounters, auditEvents, applications, organizations } = server.deps.repositories;
      const guard = bruteForceGuard({
        throttle: new DatabaseThrottle(attemptCounters, clock),
        auditEvents,
        clock,
        organizations: {
          ofApplication: async (id) => (await applications.findById(id))?.organizationId,
          ofAdmin: async (id) => (await organizations.listForAdmin(id)).map((organization) => organization.id),
        },
      });
      const attempt = { kind: 'client-secret', login: 'YXA6burst', realm: 'clients', ip: '127.0.0.9', account: { key: 'client:YXA6burst', name: 'YXA6burst' } } as const;
      const answers = await Promise.allSettled(
        Array.from({ length: 30 }, () =>
          guard.clientSecret(attempt, () => {
            throw new InvalidClient();
          }),
        ),
      );
      const statuses = answers.map((a) => (a.status === 'rejected' ? (a.reason as { status: number }).status : 200));
      // Counted in two steps (reserve, then settle) the failures of a burst are not dated until it has
      // passed: the time stands still here, and the old way let all 30 through.
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    } finally {
      await server.close();
    }
  });
});
