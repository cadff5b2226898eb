import { describe, expect, it } from 'vitest';
import type { Answer } from '../helpers/http.js';
import { basic, tokenWorld } from './support.js';

const world = tokenWorld(['alice']);

/** Five wrong guesses, then even the right secret must wait; after the wait it works again. */
async function expectThrottled(attempt: (secret: string) => Promise<Answer>, wrongStatus: number, right: string, subject: string): Promise<void> {
  for (let i = 0; i < 5; i++) expect((await attempt(`wrong-guess-${i}`)).status).toBe(wrongStatus);
  const refused = await attempt(right);
  expect(refused.status).toBe(429);
  expect(refused.body.error).toBe('too_many_requests');
  const wait = Number(refused.headers.get('retry-after'));
  expect(wait).toBeGreaterThan(0);
  const events = await world.server.deps.repositories.auditEvents.list({ subject });
  expect(events.filter((e) => e.type === 'auth.failed').length).toBeGreaterThanOrEqual(5);
  expect(events.some((e) => e.type === 'auth.throttled')).toBe(true);
  world.clock.advance(wait * 1000);
  expect((await attempt(right)).status).toBe(200);
}

describe('guessing passwords and client secrets', () => {
  it("slows and then refuses an application user's wrong passwords, and lets the user back in soon", async () => {
    await expectThrottled(
      (password) => world.http.post('/acme/app/token', { json: { grant_type: 'password', username: 'alice', password } }),
      400,
      'alice-password',
      'alice',
    );
  });

  it('slows and then refuses wrong client secrets in a token request body', async () => {
    await expectThrottled(
      (secret) => world.http.post('/acme/app/token', { json: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: secret } }),
      401,
      world.acme.app.clientSecret,
      world.acme.app.clientId,
    );
  });

  it('slows and then refuses wrong client secrets in Authorization: Basic', async () => {
    await expectThrottled(
      (secret) => world.http.post('/management/token', { json: { grant_type: 'client_credentials' }, headers: { authorization: basic(world.acme.clientId, secret) } }),
      401,
      world.acme.clientSecret,
      world.acme.clientId,
    );
  });

  it('slows and then refuses wrong client secrets in the query string of any request', async () => {
    const app = await world.http.post('/management/orgs/acme/apps', { token: world.acme.admin.token, json: { name: 'second' } });
    const { client_id: clientId, client_secret: clientSecret } = app.body.data.credentials;
    await expectThrottled((secret) => world.http.get(`/acme/second/users?client_id=${clientId}&client_secret=${encodeURIComponent(secret)}`), 401, clientSecret, clientId);
  });

  it('counts guesses per client id, so another client is not slowed down', async () => {
    for (let i = 0; i < 6; i++) await world.http.get(`/acme/app/users?client_id=YXA6someone-else&client_secret=guess-${i}`);
    expect((await world.http.get(`/acme/app/users?client_id=${world.acme.app.clientId}&client_secret=${world.acme.app.clientSecret}`)).status).toBe(200);
  });
});
