import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let world: World;
beforeAll(async () => {
  world = await startWorld({ clock, users: { acme: ['alice'] } });
});
afterAll(() => world.server.close());

/** What `expectThrottled` reads of an attempt's answer: any typed call's result has it. */
interface Attempt {
  response: Response;
  error?: { error: string };
}

/** Five wrong guesses, then even the right secret must wait; after the wait it works again. */
async function expectThrottled(attempt: (secret: string) => Promise<Attempt>, wrongStatus: number, right: string, subject: string): Promise<void> {
  for (let i = 0; i < 5; i++) expect((await attempt(`wrong-guess-${i}`)).response.status).toBe(wrongStatus);
  const refused = await attempt(right);
  expect(refused.response.status).toBe(429);
  expect(refused.error?.error).toBe('too_many_requests');
  const wait = Number(refused.response.headers.get('retry-after'));
  expect(wait).toBeGreaterThan(0);
  const events = await world.server.deps.repositories.auditEvents.list({ subject });
  // Repeats are counted in one row per account and window, not a row each.
  expect(events.filter((e) => e.type === 'auth.failed').map((e) => e.count)).toEqual([5]);
  expect(events.some((e) => e.type === 'auth.throttled')).toBe(true);
  clock.advance(wait * 1000);
  expect((await attempt(right)).response.status).toBe(200);
}

describe('guessing passwords and client secrets', () => {
  it("slows and then refuses an application user's wrong passwords, and lets the user back in soon", async () => {
    await expectThrottled(
      (password) => world.api().POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username: 'alice', password } }),
      400,
      'alice-password',
      'alice',
    );
  });

  it('slows and then refuses wrong client secrets in a token request body', async () => {
    await expectThrottled(
      (secret) =>
        world.api().POST('/{org}/{app}/token', {
          params: { path: acmeApp },
          body: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: secret },
        }),
      401,
      world.acme.app.clientSecret,
      world.acme.app.clientId,
    );
  });

  it('slows and then refuses wrong client secrets in Authorization: Basic', async () => {
    await expectThrottled(
      (secret) => world.api().POST('/management/token', { body: { grant_type: 'client_credentials' }, headers: { authorization: basic(world.acme.clientId, secret) } }),
      401,
      world.acme.clientSecret,
      world.acme.clientId,
    );
  });

  it('slows and then refuses wrong client secrets in the query string of any request', async () => {
    const app = await world.api(world.acme.admin.token).POST('/management/orgs/{org}/apps', { params: { path: { org: 'acme' } }, body: { name: 'second' } });
    if (!app.data) throw new Error(`application second: ${app.response.status} ${JSON.stringify(app.error)}`);
    const { client_id: clientId, client_secret: clientSecret } = app.data.data.credentials;
    await expectThrottled(
      (secret) => world.api().GET('/{org}/{app}/users', { params: { path: { org: 'acme', app: 'second' }, query: { client_id: clientId, client_secret: secret } } }),
      401,
      clientSecret,
      clientId,
    );
  });

  it('counts guesses per client id, so another client is not slowed down', async () => {
    const users = (client_id: string, client_secret: string) => world.api().GET('/{org}/{app}/users', { params: { path: acmeApp, query: { client_id, client_secret } } });
    for (let i = 0; i < 6; i++) await users('YXA6someone-else', `guess-${i}`);
    expect((await users(world.acme.app.clientId, world.acme.app.clientSecret)).response.status).toBe(200);
  });
});
