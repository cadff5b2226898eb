import { describe, expect, it } from 'vitest';
import { basic, signIn, tokenWorld } from './support.js';

const world = tokenWorld(['alice', 'bob', 'carol', 'dave']);

const query = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('createApplicationToken', () => {
  it('issues a 7-day user token for a JSON password grant, with the user (§8 #13)', async () => {
    const answer = await world.http.post('/acme/app/token', { json: { grant_type: 'password', username: 'alice', password: 'alice-password' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toMatchObject({ access_token: expect.stringMatching(/^tsr_at_/), expires_in: 604800, user: { type: 'user', username: 'alice', uuid: expect.any(String) } });
    expect((await world.http.get('/acme/app/users/alice', { token: answer.body.access_token })).status).toBe(200);
  });

  it('accepts a form body and the email in place of the username', async () => {
    const answer = await world.http.post('/acme/app/token', { form: { grant_type: 'password', username: 'alice@users.example', password: 'alice-password' } });
    expect(answer.status).toBe(200);
    expect(answer.body.user.username).toBe('alice');
  });

  it('answers 400 invalid_grant alike for a wrong password and an unknown user', async () => {
    const wrong = await world.http.post('/acme/app/token', { json: { grant_type: 'password', username: 'alice', password: 'not-her-password' } });
    const unknown = await world.http.post('/acme/app/token', { json: { grant_type: 'password', username: 'nobody', password: 'not-her-password' } });
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_grant', error_description: 'invalid username or password' });
    }
  });

  it("does not sign a user in to another application's endpoint", async () => {
    const answer = await world.http.post('/globex/app/token', { json: { grant_type: 'password', username: 'alice', password: 'alice-password' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_grant');
  });

  it('refuses a ttl over the maximum with 400 illegal_argument (§8 #15)', async () => {
    const answer = await world.http.post('/acme/app/token', { json: { grant_type: 'password', username: 'alice', password: 'alice-password', ttl: 9223372036854775807 } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('illegal_argument');
    expect(answer.body.error_description).toMatch(/cannot be more than the maximum age of 604800000 milliseconds/);
  });

  it('answers 400 "user not activated" for a deactivated user (§8 #25)', async () => {
    expect((await world.http.put('/acme/app/users/dave', { token: world.acme.admin.token, json: { activated: false } })).status).toBe(200);
    const answer = await world.http.post('/acme/app/token', { json: { grant_type: 'password', username: 'dave', password: 'dave-password' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_grant', error_description: 'user not activated' });
  });

  it('issues an application client token for the application pair; it lists the users (§8 #17)', async () => {
    const answer = await world.http.post('/acme/app/token', { json: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret } });
    expect(answer.status).toBe(200);
    expect(answer.body.expires_in).toBe(604800);
    const users = await world.http.get('/acme/app/users', { token: answer.body.access_token });
    expect(users.status).toBe(200);
    expect(users.body).not.toHaveProperty('error');
  });

  it('issues an organization client token for the organization pair; it lists the users (§8 #18)', async () => {
    const answer = await world.http.post('/acme/app/token', { json: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: world.acme.clientSecret } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ expires_in: 604800, organization: { name: 'acme' } });
    expect((await world.http.get('/acme/app/users', { token: answer.body.access_token })).status).toBe(200);
  });

  it('issues a token for the organization pair in a form body (§8 #20) and in Authorization: Basic', async () => {
    const form = await world.http.post('/acme/app/token', { form: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: world.acme.clientSecret } });
    expect(form.status).toBe(200);
    const viaBasic = await world.http.post('/acme/app/token', { form: { grant_type: 'client_credentials' }, headers: { authorization: basic(world.acme.app.clientId, world.acme.app.clientSecret) } });
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.body.application).toEqual(expect.any(String));
  });

  it("refuses another organization's client with 403, and a wrong secret with 401 invalid_client", async () => {
    const foreign = await world.http.post('/acme/app/token', { json: { grant_type: 'client_credentials', client_id: world.globex.clientId, client_secret: world.globex.clientSecret } });
    expect(foreign.status).toBe(403);
    const otherApp = await world.http.post('/acme/sandbox/token', { json: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret } });
    expect(otherApp.status).toBe(403);
    const wrong = await world.http.post('/acme/app/token', { json: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: 'tsr_cs_wrong' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
  });

  it('answers 404 for an unknown application', async () => {
    expect((await world.http.post('/acme/nowhere/token', { json: { grant_type: 'password', username: 'alice', password: 'alice-password' } })).status).toBe(404);
  });
});

describe('getApplicationToken', () => {
  it('issues a user token for a query-string grant with a ttl; it works at once and not after the ttl (§8 #14)', async () => {
    const answer = await world.http.get(`/acme/app/token?${query({ grant_type: 'password', username: 'bob', password: 'bob-password', ttl: '2000' })}`);
    expect(answer.status).toBe(200);
    expect(answer.body.expires_in).toBe(2);
    expect((await world.http.get(`/acme/app/users/bob?access_token=${answer.body.access_token}`)).status).toBe(200);
    world.clock.advance(3000);
    const later = await world.http.get(`/acme/app/users/bob?access_token=${answer.body.access_token}`);
    expect(later.status).toBe(401);
    expect(later.body.error).toBe('expired_token');
  });

  it('refuses ttl=derp in the query string with 400, not 500', async () => {
    const answer = await world.http.get(`/acme/app/token?${query({ grant_type: 'password', username: 'bob', password: 'bob-password', ttl: 'derp' })}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/ttl/);
  });

  it('issues a client token for a client pair in the query string', async () => {
    const answer = await world.http.get(`/acme/app/token?${query({ grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret })}`);
    expect(answer.status).toBe(200);
    expect(answer.body.application).toEqual(expect.any(String));
  });
});

describe("an application's accesstokenttl", () => {
  it('sets the lifetime of new user tokens, longer than the 7-day default too (§8 #16), and not that of client tokens', async () => {
    const settings = (accesstokenttl: number | null) => world.http.put('/management/orgs/acme/apps/app', { token: world.acme.admin.token, json: { accesstokenttl } });
    try {
      expect((await settings(31536000000)).status).toBe(200);
      expect(await tokenLifetime('carol')).toBe(31536000);
      const client = await world.http.post('/acme/app/token', { json: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret } });
      expect(client.body.expires_in).toBe(604800);
      expect((await settings(60000)).status).toBe(200);
      expect(await tokenLifetime('carol')).toBe(60);
      const over = await world.http.post('/acme/app/token', { json: { grant_type: 'password', username: 'carol', password: 'carol-password', ttl: 60001 } });
      expect(over.status).toBe(400);
      expect(over.body.error_description).toMatch(/maximum age of 60000 milliseconds/);
    } finally {
      await settings(null);
    }
  });

  it('makes user tokens that never expire when it is 0', async () => {
    await world.http.put('/management/orgs/acme/apps/app', { token: world.acme.admin.token, json: { accesstokenttl: 0 } });
    try {
      const token = await signIn(world.http, world.acme, 'carol');
      world.clock.advance(10 * 365 * 24 * 3600 * 1000);
      expect((await world.http.get('/acme/app/users/carol', { token })).status).toBe(200);
    } finally {
      await world.http.put('/management/orgs/acme/apps/app', { token: (await signInAdmin()), json: { accesstokenttl: null } });
    }
  });
});

async function tokenLifetime(username: string): Promise<number> {
  const answer = await world.http.post('/acme/app/token', { json: { grant_type: 'password', username, password: `${username}-password` } });
  return answer.body.expires_in;
}

async function signInAdmin(): Promise<string> {
  const answer = await world.http.post('/management/token', { json: { grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password } });
  return answer.body.access_token;
}
