import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm } from '../helpers/api.js';
import { basic } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { issued } from './support.js';

const clock = new ManualClock();
let world: World;
beforeAll(async () => {
  world = await startWorld({ clock, users: { acme: ['alice', 'bob', 'carol', 'dave'] } });
});
afterAll(() => world.server.close());

const query = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** A user of acme's application, as the path of the user operations names them. */
const acmeUser = (user: string) => ({ path: { ...acmeApp, user } });

describe('createApplicationToken', () => {
  it('issues a 7-day user token for a JSON password grant, with the user (§8 #13)', async () => {
    const { data, response } = await world.api().POST('/{org}/{app}/token', {
      params: { path: acmeApp },
      body: { grant_type: 'password', username: 'alice', password: 'alice-password' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(data).toMatchObject({ access_token: expect.stringMatching(/^tsr_at_/), expires_in: 604800, user: { type: 'user', username: 'alice', uuid: expect.any(String) } });
    expect((await world.api(issued(data, 'user').access_token).GET('/{org}/{app}/users/{user}', { params: acmeUser('alice') })).response.status).toBe(200);
  });

  it('accepts a form body and the email in place of the username', async () => {
    const { data, response } = await world.api().POST('/{org}/{app}/token', {
      params: { path: acmeApp },
      body: { grant_type: 'password', username: 'alice@users.example', password: 'alice-password' },
      ...asForm,
    });
    expect(response.status).toBe(200);
    expect(issued(data, 'user').user.username).toBe('alice');
  });

  it('answers 400 invalid_grant alike for a wrong password and an unknown user', async () => {
    const wrong = await world.api().POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username: 'alice', password: 'not-her-password' } });
    const unknown = await world.api().POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username: 'nobody', password: 'not-her-password' } });
    for (const answer of [wrong, unknown]) {
      expect(answer.response.status).toBe(400);
      expect(answer.error).toMatchObject({ error: 'invalid_grant', error_description: 'invalid username or password' });
    }
  });

  it("does not sign a user in to another application's endpoint", async () => {
    const { error, response } = await world.api().POST('/{org}/{app}/token', {
      params: { path: { org: 'globex', app: 'app' } },
      body: { grant_type: 'password', username: 'alice', password: 'alice-password' },
    });
    expect(response.status).toBe(400);
    expect(error?.error).toBe('invalid_grant');
  });

  it('refuses a ttl over the maximum with 400 illegal_argument (§8 #15)', async () => {
    const { error, response } = await world.api().POST('/{org}/{app}/token', {
      params: { path: acmeApp },
      body: { grant_type: 'password', username: 'alice', password: 'alice-password', ttl: 9223372036854775807 },
    });
    expect(response.status).toBe(400);
    expect(error?.error).toBe('illegal_argument');
    expect(error?.error_description).toMatch(/cannot be more than the maximum age of 604800000 milliseconds/);
  });

  it('answers a deactivated user with the 400 of a wrong password, not Usergrid\'s "user not activated" (§8 #25, issue 15)', async () => {
    const deactivated = await world.api(world.acme.admin.token).PUT('/{org}/{app}/users/{user}', { params: acmeUser('dave'), body: { activated: false } });
    expect(deactivated.response.status).toBe(200);
    const { error, response } = await world.api().POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username: 'dave', password: 'dave-password' } });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ error: 'invalid_grant', error_description: 'invalid username or password' });
  });

  it('issues an application client token for the application pair; it lists the users (§8 #17)', async () => {
    const { data, response } = await world.api().POST('/{org}/{app}/token', {
      params: { path: acmeApp },
      body: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret },
    });
    expect(response.status).toBe(200);
    expect(data?.expires_in).toBe(604800);
    const users = await world.api(issued(data, 'application').access_token).GET('/{org}/{app}/users', { params: { path: acmeApp } });
    expect(users.response.status).toBe(200);
    expect(users.data).not.toHaveProperty('error');
  });

  it('issues an organization client token for the organization pair; it lists the users (§8 #18)', async () => {
    const { data, response } = await world.api().POST('/{org}/{app}/token', {
      params: { path: acmeApp },
      body: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: world.acme.clientSecret },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ expires_in: 604800, organization: { name: 'acme' } });
    expect((await world.api(issued(data, 'organization').access_token).GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status).toBe(200);
  });

  it('issues a token for the organization pair in a form body (§8 #20) and in Authorization: Basic', async () => {
    const form = await world.api().POST('/{org}/{app}/token', {
      params: { path: acmeApp },
      body: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: world.acme.clientSecret },
      ...asForm,
    });
    expect(form.response.status).toBe(200);
    const viaBasic = await world.api().POST('/{org}/{app}/token', {
      params: { path: acmeApp },
      body: { grant_type: 'client_credentials' },
      ...asForm,
      headers: { ...asForm.headers, authorization: basic(world.acme.app.clientId, world.acme.app.clientSecret) },
    });
    expect(viaBasic.response.status).toBe(200);
    expect(issued(viaBasic.data, 'application').application).toEqual(expect.any(String));
  });

  it("refuses another organization's client with 403, and a wrong secret with 401 invalid_client", async () => {
    const foreign = await world.api().POST('/{org}/{app}/token', {
      params: { path: acmeApp },
      body: { grant_type: 'client_credentials', client_id: world.globex.clientId, client_secret: world.globex.clientSecret },
    });
    expect(foreign.response.status).toBe(403);
    const otherApp = await world.api().POST('/{org}/{app}/token', {
      params: { path: { org: 'acme', app: 'sandbox' } },
      body: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret },
    });
    expect(otherApp.response.status).toBe(403);
    const wrong = await world.api().POST('/{org}/{app}/token', {
      params: { path: acmeApp },
      body: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: 'tsr_cs_wrong' },
    });
    expect(wrong.response.status).toBe(401);
    expect(wrong.error?.error).toBe('invalid_client');
  });

  it('answers 404 for an unknown application', async () => {
    const { response } = await world.api().POST('/{org}/{app}/token', {
      params: { path: { org: 'acme', app: 'nowhere' } },
      body: { grant_type: 'password', username: 'alice', password: 'alice-password' },
    });
    expect(response.status).toBe(404);
  });
});

describe('getApplicationToken', () => {
  it('issues a user token for a query-string grant with a ttl; it works at once and not after the ttl (§8 #14)', async () => {
    const { data, response } = await world.api().GET('/{org}/{app}/token', {
      params: { path: acmeApp, query: { grant_type: 'password', username: 'bob', password: 'bob-password', ttl: 2000 } },
    });
    expect(response.status).toBe(200);
    expect(data?.expires_in).toBe(2);
    const bob = { ...acmeUser('bob'), query: { access_token: issued(data, 'user').access_token } };
    expect((await world.api().GET('/{org}/{app}/users/{user}', { params: bob })).response.status).toBe(200);
    clock.advance(3000);
    const later = await world.api().GET('/{org}/{app}/users/{user}', { params: bob });
    expect(later.response.status).toBe(401);
    expect(later.error?.error).toBe('expired_token');
  });

  it('refuses ttl=derp in the query string with 400, not 500', async () => {
    // Raw: ttl is an integer in the spec, and this test sends a word.
    const answer = await world.http.get(`/acme/app/token?${query({ grant_type: 'password', username: 'bob', password: 'bob-password', ttl: 'derp' })}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/ttl/);
  });

  it('issues a client token for a client pair in the query string', async () => {
    const { data, response } = await world.api().GET('/{org}/{app}/token', {
      params: { path: acmeApp, query: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret } },
    });
    expect(response.status).toBe(200);
    expect(issued(data, 'application').application).toEqual(expect.any(String));
  });
});

describe("an application's accesstokenttl", () => {
  it('sets the lifetime of new user tokens, longer than the 7-day default too (§8 #16), and not that of client tokens', async () => {
    const settings = (accesstokenttl: number | null) =>
      world.api(world.acme.admin.token).PUT('/management/orgs/{org}/apps/{app}', { params: { path: acmeApp }, body: { accesstokenttl } });
    try {
      expect((await settings(31536000000)).response.status).toBe(200);
      expect(await tokenLifetime('carol')).toBe(31536000);
      const client = await world.api().POST('/{org}/{app}/token', {
        params: { path: acmeApp },
        body: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret },
      });
      expect(client.data?.expires_in).toBe(604800);
      expect((await settings(60000)).response.status).toBe(200);
      expect(await tokenLifetime('carol')).toBe(60);
      const over = await world.api().POST('/{org}/{app}/token', {
        params: { path: acmeApp },
        body: { grant_type: 'password', username: 'carol', password: 'carol-password', ttl: 60001 },
      });
      expect(over.response.status).toBe(400);
      expect(over.error?.error_description).toMatch(/maximum age of 60000 milliseconds/);
    } finally {
      await settings(null);
    }
  });

  it('refuses a lifetime past a hundred years with 400 and keeps the one it had, on either engine', async () => {
    // SQLite stored 1e20 as a float (and answered 200), PostgreSQL could not store it (400): the
    // spec's maximum now decides for both, at the longest `ttl` a request may ask for (resolveTtl).
    const settingsNow = async () => (await world.api(world.acme.admin.token).GET('/management/orgs/{org}/apps/{app}', { params: { path: acmeApp } })).data;
    const before = await settingsNow();
    for (const accesstokenttl of [1e20, 9007199254740992, 100 * 365 * 24 * 3600 * 1000 + 1]) {
      const answer = await world.http.put(`/management/orgs/${acmeApp.org}/apps/${acmeApp.app}`, {
        token: world.acme.admin.token,
        raw: { body: `{"accesstokenttl":${accesstokenttl === 1e20 ? '100000000000000000000' : String(accesstokenttl)}}`, type: 'application/json' },
      });
      expect(answer.status, String(accesstokenttl)).toBe(400);
      expect(answer.body).toMatchObject({ error: expect.any(String), error_description: expect.any(String) });
    }
    expect(await settingsNow()).toEqual(before);
  });

  it('makes user tokens that never expire when it is 0', async () => {
    await world.api(world.acme.admin.token).PUT('/management/orgs/{org}/apps/{app}', { params: { path: acmeApp }, body: { accesstokenttl: 0 } });
    try {
      const token = await signIn(world.http, world.acme, 'carol');
      clock.advance(10 * 365 * 24 * 3600 * 1000);
      expect((await world.api(token).GET('/{org}/{app}/users/{user}', { params: acmeUser('carol') })).response.status).toBe(200);
    } finally {
      await world.api(await signInAdmin()).PUT('/management/orgs/{org}/apps/{app}', { params: { path: acmeApp }, body: { accesstokenttl: null } });
    }
  });
});

async function tokenLifetime(username: string): Promise<number | undefined> {
  const { data } = await world.api().POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username, password: `${username}-password` } });
  return data?.expires_in;
}

async function signInAdmin(): Promise<string | undefined> {
  const { data } = await world.api().POST('/management/token', {
    body: { grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password },
  });
  return data?.access_token;
}
