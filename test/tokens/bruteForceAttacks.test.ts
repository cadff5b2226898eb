import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera } from '../helpers/api.js';
import { basic } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ManualClock, superuser } from '../helpers/server.js';
import { createUser } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let world: World;
beforeAll(async () => {
  world = await startWorld({ clock });
});
afterAll(() => world.server.close());

/** Another client, as far as the server can tell: requests leave from another loopback address. */
const attacker = (n = 2) => tessera(world.server.url, { from: `127.0.0.${n}` });
const owner = () => tessera(world.server.url, { from: '127.0.0.1' });

type Api = ReturnType<typeof owner>;
const signIn = (api: Api, username: string, password: string) =>
  api.POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username, password } });
const adminSignIn = (api: Api, username: string, password: string) => api.POST('/management/token', { body: { grant_type: 'password', username, password } });
const clientToken = (api: Api, clientSecret: string) =>
  api.POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: clientSecret } });

/** A new user of acme's application, with the password `<name>-password` and the email `<name>@users.example`; returns its uuid. */
const newUser = (name: string) => createUser(world.http, world.acme, name);

const failuresRecorded = async (subject: string) =>
  (await world.server.deps.repositories.auditEvents.list({ subject, type: 'auth.failed' })).reduce((sum, e) => sum + e.count, 0);

/** Wrong guesses, one after the other, until the server refuses one; how many it checked. */
async function guessUntilRefused(attempt: (guess: string) => Promise<{ response: Response }>): Promise<number> {
  for (let checked = 0; checked < 50; checked++) {
    const { response } = await attempt(`wrong-guess-${checked}`);
    if (response.status === 429) return checked;
  }
  throw new Error('50 wrong guesses and still no 429');
}

describe('guesses sent together', () => {
  it('checks at most five wrong passwords when 40 of them and the right one arrive at once, and the right one resets nothing', async () => {
    await newUser('dora');
    const guesses = Array.from({ length: 41 }, (_, i) => (i === 1 ? 'dora-password' : `wrong-${i}`));
    const answers = await Promise.all(guesses.map((password) => signIn(owner(), 'dora', password)));
    const statuses = answers.map((a) => a.response.status);
    // The right password, when checked, gives back the attempt it took, and only that one.
    const wrongChecked = statuses.filter((s) => s === 400).length;
    expect(wrongChecked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 400 && s !== 429)).toEqual(statuses.includes(200) ? [200] : []);
    expect(await failuresRecorded('dora')).toBe(wrongChecked);
    // Had the right password cleared the count, five more guesses would be checked now.
    expect(wrongChecked + (await guessUntilRefused((guess) => signIn(owner(), 'dora', guess)))).toBe(5);
  });

  it('answers at most five of 40 wrong client secrets sent together with 401, the rest 429', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => clientToken(attacker(), `tsr_cs_wrong-${i}`)));
    const statuses = answers.map((a) => a.response.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
  });
});

describe('made-up client ids', () => {
  it('share one counter per source: twenty of them get at most five checks and add one counter row, not twenty', async () => {
    const rowsBefore = Number((await world.server.deps.db('attempt_counters').count({ n: '*' }))[0]!.n);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const answer = await attacker(60).POST('/{org}/{app}/token', {
        params: { path: acmeApp },
        body: { grant_type: 'client_credentials', client_id: `YXA6made-up-${i}`, client_secret: `tsr_cs_wrong-${i}` },
      });
      statuses.push(answer.response.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true);
    const rowsAfter = Number((await world.server.deps.db('attempt_counters').count({ n: '*' }))[0]!.n);
    expect(rowsAfter - rowsBefore).toBe(1);
  });
});

describe('an attacker trying to lock the owner out', () => {
  it("refuses the attacker's address, even with the right password, and lets the owner in from another", async () => {
    await newUser('erin');
    expect(await guessUntilRefused((guess) => signIn(attacker(), 'erin', guess))).toBe(5);
    expect((await signIn(attacker(), 'erin', 'erin-password')).response.status).toBe(429);
    expect((await signIn(owner(), 'erin', 'erin-password')).response.status).toBe(200);
  });

  it('lets the superuser in from another address while an attacker guesses at its password', async () => {
    expect(await guessUntilRefused((guess) => adminSignIn(attacker(3), superuser.username, guess))).toBe(5);
    expect((await adminSignIn(owner(), superuser.username, superuser.password)).response.status).toBe(200);
  });

  it('never locks a client out: its secret still works from another address while one address is refused', async () => {
    expect(await guessUntilRefused((guess) => clientToken(attacker(4), guess))).toBe(5);
    expect((await clientToken(attacker(4), world.acme.app.clientSecret)).response.status).toBe(429);
    expect((await clientToken(owner(), world.acme.app.clientSecret)).response.status).toBe(200);
    const basicAnswer = await owner().POST('/management/token', {
      body: { grant_type: 'client_credentials' },
      headers: { authorization: basic(world.acme.clientId, world.acme.clientSecret) },
    });
    expect(basicAnswer.response.status).toBe(200);
  });

  it('refuses a new address once guesses from many addresses pass the account’s ceiling, lets the owner in from where they signed in before, and forgives with time', async () => {
    await newUser('fay');
    expect((await signIn(owner(), 'fay', 'fay-password')).response.status).toBe(200);
    // Ten addresses, five free guesses each: the ceiling of 50 per account.
    for (let n = 10; n < 20; n++) expect(await guessUntilRefused((guess) => signIn(attacker(n), 'fay', guess))).toBe(5);
    const fromNewAddress = await signIn(attacker(50), 'fay', 'fay-password');
    expect(fromNewAddress.response.status).toBe(429);
    expect(Number(fromNewAddress.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // The owner's address proved the password before: held to its own count, not the account's.
    expect((await signIn(owner(), 'fay', 'fay-password')).response.status).toBe(200);
    // One failure is forgiven a minute: ten minutes later a new address is under the ceiling again.
    clock.advance(10 * 60_000);
    expect((await signIn(attacker(51), 'fay', 'fay-password')).response.status).toBe(200);
  });
});

describe('the owner signing in while failures are counted', () => {
  it('does not restart the wait with a right password: once the wait is over, right passwords in a row all get in', async () => {
    await newUser('ida');
    for (let i = 0; i < 5; i++) expect((await signIn(owner(), 'ida', `wrong-${i}`)).response.status).toBe(400);
    clock.advance(1_100);
    for (let i = 0; i < 3; i++) expect((await signIn(owner(), 'ida', 'ida-password')).response.status).toBe(200);
  });
});

describe('one account, one count', () => {
  it('counts wrong passwords sent with the username, the email and the uuid of one user together', async () => {
    const { uuid } = await newUser('gus');
    for (const login of ['gus', 'gus', 'gus@users.example', 'gus@users.example', uuid]) {
      expect((await signIn(owner(), login, 'wrong')).response.status).toBe(400);
    }
    expect((await signIn(owner(), 'gus@users.example', 'gus-password')).response.status).toBe(429);
    expect(await failuresRecorded('gus')).toBe(5);
  });
});

describe('the audit log under attack', () => {
  it('counts repeated failures and refusals in a row per account, and those of made-up usernames in one row, never storing them', async () => {
    await newUser('hal');
    const before = (await world.server.deps.repositories.auditEvents.list()).length;
    for (let i = 0; i < 20; i++) await signIn(attacker(30), 'hal', `wrong-${i}`);
    for (let i = 0; i < 20; i++) await signIn(attacker(31), `nobody-${i}`, 'wrong');
    const added = (await world.server.deps.repositories.auditEvents.list()).slice(before);
    expect(added.map((e) => [e.type, e.subject, e.count])).toEqual([
      ['auth.failed', 'hal', 5],
      ['auth.throttled', 'hal', 15],
      ['auth.failed', null, 20],
    ]);
    expect(JSON.stringify(added)).not.toContain('nobody');
  });
});
