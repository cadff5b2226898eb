import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSecretPolicy } from '../../src/auth/attempts.js';
import { DatabaseThrottle, type Claim } from '../../src/auth/throttle.js';
import type { AttemptCountersRepository } from '../../src/db/repositories/attempt-counters.js';
import { ManualClock, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * On SQLite (one instance) the throttle counts every attempt itself, so the right client secret of
 * a source that never failed skips the read of its counter (src/auth/throttle.ts `cannotWait`);
 * a source that failed, here or before a restart, is still read and refused while it must wait.
 */
describe('the brute-force counters of a sole writer', () => {
  const clock = new ManualClock();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ clock });
  });
  afterAll(() => server.close());

  /**
   * The server's counters, counting the plain reads (`waitFor`'s). The load of the counters earlier
   * processes left answers after the first read, as it may on a busy pool (CI's PostgreSQL pass
   * once saw it): the check after the first still knows them.
   */
  function countingReads(): { counters: AttemptCountersRepository; reads: () => number } {
    const counters = server.deps.repositories.attemptCounters;
    let reads = 0;
    return {
      counters: {
        ...counters,
        read: (keys) => {
          reads++;
          return counters.read(keys);
        },
        liveByExpiry: async (now, limit) => {
          const live = await counters.liveByExpiry(now, limit);
          await new Promise((resolve) => setTimeout(resolve, 50));
          return live;
        },
      },
      reads: () => reads,
    };
  }
  const claimsOf = (key: string): Claim[] => [{ key: `client:${key}|127.0.0.1`, policy: clientSecretPolicy }];
  /** Six wrong secrets: the five free ones and one refused. */
  async function failSixTimes(throttle: DatabaseThrottle, claims: Claim[]): Promise<void> {
    for (let i = 0; i < 6; i++) await throttle.countFailure(claims);
  }
  const mattersForMs = Math.max(clientSecretPolicy.maxDelayMs, clientSecretPolicy.forgetAfterMs) + 60_000;

  it('reads no counter for the right secret of a source it never counted a failure for', async () => {
    const { counters, reads } = countingReads();
    const throttle = new DatabaseThrottle(counters, clock, { soleWriter: true });
    const claims = claimsOf('YXA6never-failed');
    expect(await throttle.waitFor(claims)).toBe(0); // the first check reads, while the counters left before it are loaded
    const before = reads();
    for (let i = 0; i < 5; i++) expect(await throttle.waitFor(claims)).toBe(0);
    expect(reads() - before).toBe(0);
    // Several instances (no sole writer) read it every time.
    const shared = countingReads();
    const everyTime = new DatabaseThrottle(shared.counters, clock);
    for (let i = 0; i < 3; i++) expect(await everyTime.waitFor(claims)).toBe(0);
    expect(shared.reads()).toBe(3);
  });

  it('keeps reading, and refusing, a source that failed, until its counter no longer matters', async () => {
    const { counters, reads } = countingReads();
    const throttle = new DatabaseThrottle(counters, clock, { soleWriter: true });
    const claims = claimsOf('YXA6guessed-at');
    await throttle.waitFor(claims);
    await failSixTimes(throttle, claims);
    expect(await throttle.waitFor(claims)).toBeGreaterThan(0);
    clock.advance(clientSecretPolicy.maxDelayMs);
    const before = reads();
    expect(await throttle.waitFor(claims)).toBe(0);
    expect(reads() - before).toBe(1);
    clock.advance(mattersForMs);
    expect(await throttle.waitFor(claims)).toBe(0);
    expect(reads() - before).toBe(1);
  });

  it('reads, and refuses, a source that failed before a restart (the counters an earlier process left)', async () => {
    const claims = claimsOf('YXA6before-restart');
    await failSixTimes(new DatabaseThrottle(server.deps.repositories.attemptCounters, clock, { soleWriter: true }), claims);
    const restarted = new DatabaseThrottle(server.deps.repositories.attemptCounters, clock, { soleWriter: true });
    expect(await restarted.waitFor(claimsOf('YXA6someone-else'))).toBe(0); // loads
    expect(await restarted.waitFor(claims)).toBeGreaterThan(0);
    expect(await restarted.waitFor(claims)).toBeGreaterThan(0);
  });

  it('forgets no key past its bound: it reads every counter until the ones it let go no longer matter', async () => {
    const { counters, reads } = countingReads();
    const throttle = new DatabaseThrottle(counters, clock, { soleWriter: true, knownKeys: 2 });
    await throttle.waitFor(claimsOf('YXA6load'));
    const guessedAt = claimsOf('YXA6bound-1');
    await failSixTimes(throttle, guessedAt);
    await throttle.countFailure(claimsOf('YXA6bound-2'));
    await throttle.countFailure(claimsOf('YXA6bound-3')); // a third key: the two before are let go
    expect(await throttle.waitFor(guessedAt)).toBeGreaterThan(0);
    const before = reads();
    expect(await throttle.waitFor(claimsOf('YXA6never-failed-2'))).toBe(0);
    expect(reads() - before).toBe(1);
    clock.advance(mattersForMs + 1);
    expect(await throttle.waitFor(claimsOf('YXA6never-failed-2'))).toBe(0);
    expect(reads() - before).toBe(1);
  });
});
