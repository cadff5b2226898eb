import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/secrets/digest.js';
import { queryRows, type ScratchDatabase } from '../helpers/database.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { expectedExpirationDate, openSession, withSession } from '../helpers/quickblox.js';
import { ManualClock, startTwoInstances, type TestServer, type TwoInstances } from '../helpers/server.js';

/**
 * Sliding expiry across instances: two servers on one PostgreSQL database and one clock that the
 * test moves (hours pass in no time, which only a shared `ManualClock` allows; the real processes of
 * `three-instances.test.ts` prove the rest). A QuickBlox session lives two hours after its latest
 * use, wherever that use was: each instance writes its uses behind to the row, and the latest wins.
 */
const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? '');
const hour = 3600_000;

describe.runIf(onPostgres)('last-use times written behind by two instances', () => {
  const clock = new ManualClock();
  let instances: TwoInstances;
  let database: ScratchDatabase;
  let a: TestServer;
  let b: TestServer;
  let acme: OrganizationFixture;

  beforeAll(async () => {
    instances = await startTwoInstances({ clock });
    ({ a, b, database } = instances);
    acme = await createOrganization(a.url, 'acme');
  });
  afterAll(() => instances?.close());

  async function storedLastUse(token: string): Promise<number> {
    const [row] = await queryRows<{ last_used_at: string }>(database.url, 'select last_used_at from tokens where hash = $1', [sha256(token)]);
    return Number(row!.last_used_at);
  }

  const useOn = async (server: TestServer, token: string) => (await withSession(server.url, token).GET('/session.json')).response;

  it('keeps a session created on A alive while it is used only on B, though A holds an older copy of it', async () => {
    const token = await openSession(a.url, acme, clock);
    // A reads the session and keeps it: the copy a later request on A would judge by.
    expect((await useOn(a, token)).status).toBe(200);
    await a.deps.tokens.flush();
    for (let i = 0; i < 3; i++) {
      clock.advance(hour);
      const onB = await useOn(b, token);
      expect(onB.status).toBe(200);
      expect(onB.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + 2 * hour));
      await b.deps.tokens.flush();
    }
    expect(await storedLastUse(token)).toBe(clock.now());
    // Three hours after A last saw it, an hour after its latest use (on B).
    clock.advance(hour);
    const onA = await useOn(a, token);
    expect(onA.status).toBe(200);
    expect(onA.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + 2 * hour));
    // Idle for two hours on both: expired on both.
    clock.advance(2 * hour);
    expect((await useOn(a, token)).status).toBe(401);
    expect((await useOn(b, token)).status).toBe(401);
  });

  it('keeps the latest use when an instance writes an older one after another wrote a newer', async () => {
    const token = await openSession(a.url, acme, clock);
    expect((await useOn(a, token)).status).toBe(200);
    const usedOnA = clock.now();
    clock.advance(60_000);
    expect((await useOn(b, token)).status).toBe(200);
    const usedOnB = clock.now();
    // B writes first, then A its older use: the row keeps B's.
    await b.deps.tokens.flush();
    await a.deps.tokens.flush();
    expect(usedOnB).toBeGreaterThan(usedOnA);
    expect(await storedLastUse(token)).toBe(usedOnB);
  });
});
