import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm } from '../helpers/api.js';
import { basic } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { adminSignIn, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let world: World;
beforeAll(async () => {
  world = await startWorld({ clock, users: { acme: ['alice'] } });
});
afterAll(() => world.server.close());

const alice = { path: { ...acmeApp, user: 'alice' } };
/** The users of an application, or an organization, by name. */
const usersOf = (org: string, app: string) => ({ path: { org, app } });
const orgPath = (org: string) => ({ path: { org } });

describe('sending an access token', () => {
  it('works as Authorization: Bearer and as ?access_token=, alike', async () => {
    const token = await signIn(world.http, world.acme, 'alice');
    const byHeader = await world.api(token).GET('/{org}/{app}/users/{user}', { params: alice });
    const byQuery = await world.api().GET('/{org}/{app}/users/{user}', { params: { ...alice, query: { access_token: token } } });
    expect(byHeader.response.status).toBe(200);
    expect(byQuery.response.status).toBe(200);
    expect(byQuery.data?.entities).toEqual(byHeader.data?.entities);
  });

  it('marks answers to a token in the query string private and without referrer (RFC 6750 §5.3), and only those', async () => {
    const token = await signIn(world.http, world.acme, 'alice');
    const byQuery = await world.api().GET('/{org}/{app}/users/{user}', { params: { ...alice, query: { access_token: token } } });
    expect(byQuery.response.headers.get('cache-control')).toBe('private');
    expect(byQuery.response.headers.get('referrer-policy')).toBe('no-referrer');
    const byHeader = await world.api(token).GET('/{org}/{app}/users/{user}', { params: alice });
    expect(byHeader.response.headers.get('referrer-policy')).toBeNull();
  });

  it('works as access_token in a form-encoded POST body (RFC 6750 §2.2), which is never kept as data', async () => {
    const { data, response } = await world.api().POST('/{org}/{app}/users', {
      params: { path: acmeApp },
      body: { access_token: world.acme.admin.token, username: 'formed', password: 'formed-password' },
      ...asForm,
    });
    expect(response.status).toBe(200);
    expect(data?.entities[0]).not.toHaveProperty('access_token');
    const stored = await world.server.deps.db('app_users').where({ username: 'formed' }).first();
    expect(stored.properties).not.toContain(world.acme.admin.token);
  });

  it('refuses a token sent by two mechanisms with 400 invalid_request, whichever two', async () => {
    // Raw: each request carries a credential by two mechanisms, which the spec's security offers only one at a time.
    const token = await signIn(world.http, world.acme, 'alice');
    const answers = [
      await world.http.get(`/acme/app/users/alice?access_token=${token}`, { token }),
      await world.http.get(`/acme/app/users/alice?access_token=${token}&client_id=${world.acme.app.clientId}&client_secret=${world.acme.app.clientSecret}`),
      await world.http.get(`/acme/app/users?client_id=${world.acme.app.clientId}&client_secret=${world.acme.app.clientSecret}`, { token }),
      await world.http.post(`/acme/app/users?access_token=${token}`, { form: { access_token: token, username: 'twice', password: 'twice-password' } }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
    }
    expect(answers[0]!.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_request"/);
  });

  it("lets an admin's token into the admin's own organization only (§8 #12, 403 where Usergrid says 401)", async () => {
    const admin = world.api(world.acme.admin.token);
    expect((await admin.GET('/management/orgs/{org}', { params: orgPath('acme') })).response.status).toBe(200);
    const elsewhere: [path: string, status: number][] = [
      ['/management/orgs/globex', (await admin.GET('/management/orgs/{org}', { params: orgPath('globex') })).response.status],
      ['/management/orgs/globex/apps', (await admin.GET('/management/orgs/{org}/apps', { params: orgPath('globex') })).response.status],
      ['/globex/app/users', (await admin.GET('/{org}/{app}/users', { params: usersOf('globex', 'app') })).response.status],
    ];
    for (const [path, status] of elsewhere) {
      expect(status, path).toBe(403);
    }
  });

  it('reaches its own application and no other: an application user of acme is 403 in globex', async () => {
    const api = world.api(await signIn(world.http, world.acme, 'alice'));
    expect((await api.GET('/{org}/{app}/users', { params: usersOf('acme', 'app') })).response.status).toBe(200);
    expect((await api.GET('/{org}/{app}/users', { params: usersOf('globex', 'app') })).response.status).toBe(403);
    expect((await api.GET('/{org}/{app}/users', { params: usersOf('acme', 'sandbox') })).response.status).toBe(403);
    expect((await api.GET('/management/orgs/{org}', { params: orgPath('acme') })).response.status).toBe(403);
  });
});

describe('a request without a good token', () => {
  it('answers 401 with a bare RFC 6750 challenge when no credential was sent', async () => {
    const { response } = await world.api().GET('/{org}/{app}/users', { params: { path: acmeApp } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
  });

  it('answers bad, unknown and revoked tokens with one identical 401 invalid_token', async () => {
    const revoked = await signIn(world.http, world.acme, 'alice');
    await world.api(world.acme.admin.token).POST('/{org}/{app}/users/{user}/revoketokens', { params: alice });
    const users = (token?: string, access_token?: string) => world.api(token).GET('/{org}/{app}/users', { params: { path: acmeApp, query: { access_token } } });
    const answers = [await users('tsr_at_never-issued'), await users('garbage'), await users(undefined, 'blah'), await users(revoked)];
    for (const answer of answers) {
      expect(answer.response.status).toBe(401);
      expect(answer.response.headers.get('www-authenticate')).toBe(answers[0]!.response.headers.get('www-authenticate'));
      expect(answer.error).toBeDefined();
      const { timestamp: _t, duration: _d, ...rest } = answer.error!;
      expect(rest).toEqual({ error: 'invalid_token', error_description: 'Unable to authenticate: the access token is not valid' });
    }
    expect(answers[0]!.response.headers.get('www-authenticate')).toMatch(/^Bearer realm="tessera", error="invalid_token"/);
  });

  it('answers an expired token 401 expired_token, with error="invalid_token" in the challenge (§8 #6)', async () => {
    const api = world.api(await adminSignIn(world.http, world.acme, { ttl: 2000 }));
    expect((await api.GET('/management/orgs/{org}', { params: orgPath('acme') })).response.status).toBe(200);
    clock.advance(3000);
    const { error, response } = await api.GET('/management/orgs/{org}', { params: orgPath('acme') });
    expect(response.status).toBe(401);
    expect(error?.error).toBe('expired_token');
    expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });
});

describe('a token at the edge of its lifetime', () => {
  it('works 1 ms before it expires and fails at the very millisecond it does', async () => {
    const api = world.api(await signIn(world.http, world.acme, 'alice', { ttl: 60_000 }));
    clock.advance(60_000 - 1);
    expect((await api.GET('/{org}/{app}/users/{user}', { params: alice })).response.status).toBe(200);
    clock.advance(1);
    const expired = await api.GET('/{org}/{app}/users/{user}', { params: alice });
    expect(expired.response.status).toBe(401);
    expect(expired.error?.error).toBe('expired_token');
  });
});

describe('client credentials on any request', () => {
  it("authenticate as the organization, which reaches every one of its applications (§8 #21)", async () => {
    const pair = { client_id: world.acme.clientId, client_secret: world.acme.clientSecret };
    const api = world.api();
    expect((await api.GET('/{org}/{app}/users', { params: { ...usersOf('acme', 'app'), query: pair } })).response.status).toBe(200);
    expect((await api.GET('/{org}/{app}/users', { params: { ...usersOf('acme', 'sandbox'), query: pair } })).response.status).toBe(200);
    expect((await api.GET('/management/orgs/{org}', { params: { ...orgPath('acme'), query: pair } })).response.status).toBe(200);
    expect((await api.GET('/{org}/{app}/users', { params: { ...usersOf('globex', 'app'), query: pair } })).response.status).toBe(403);
  });

  it('authenticate as the application, which reaches that application only (§8 #21)', async () => {
    const pair = { client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret };
    const api = world.api();
    expect((await api.GET('/{org}/{app}/users', { params: { ...usersOf('acme', 'app'), query: pair } })).response.status).toBe(200);
    expect((await api.GET('/{org}/{app}/users', { params: { ...usersOf('acme', 'sandbox'), query: pair } })).response.status).toBe(403);
    expect((await api.GET('/management/orgs/{org}', { params: { ...orgPath('acme'), query: pair } })).response.status).toBe(403);
  });

  it('answer 401 invalid_client for a wrong pair', async () => {
    const { error, response } = await world.api().GET('/{org}/{app}/users', {
      params: { path: acmeApp, query: { client_id: world.acme.app.clientId, client_secret: 'tsr_cs_wrong' } },
    });
    expect(response.status).toBe(401);
    expect(error?.error).toBe('invalid_client');
  });

  it('are not taken from Authorization: Basic outside the token endpoints', async () => {
    // Raw: the spec offers Basic only on the token endpoints; this sends it where the spec has no such carrier.
    const answer = await world.http.get('/acme/app/users', { headers: { authorization: basic(world.acme.app.clientId, world.acme.app.clientSecret) } });
    expect(answer.status).toBe(401);
  });
});

describe('authenticating by client credentials or an API token', () => {
  it('writes nothing: one indexed lookup, no insert, update or delete', async () => {
    const created = await world.api(world.acme.admin.token).POST('/management/orgs/{org}/apps/{app}/api-tokens', {
      params: { path: acmeApp },
      body: { name: 'quiet', access: 'read' },
    });
    if (!created.data) throw new Error(`api token: ${created.response.status} ${JSON.stringify(created.error)}`);
    const apiToken = created.data.data.access_token;
    const statements: string[] = [];
    const listen = (query: { sql: string }) => statements.push(query.sql);
    world.server.deps.db.on('query', listen);
    try {
      const byPair = await world.api().GET('/{org}/{app}/users', {
        params: { path: acmeApp, query: { client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret } },
      });
      expect(byPair.response.status).toBe(200);
      expect((await world.api(apiToken).GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status).toBe(200);
    } finally {
      world.server.deps.db.removeListener('query', listen);
    }
    expect(statements.filter((sql) => /^\s*(insert|update|delete)/i.test(sql))).toEqual([]);
  });
});
