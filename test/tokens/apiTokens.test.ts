import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { acmeApp, superuserToken } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { adminSignIn, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let world: World;
beforeAll(async () => {
  world = await startWorld({ clock, users: { acme: ['alice'] } });
});
afterAll(() => world.server.close());

const tokensPath = '/management/orgs/acme/apps/app/api-tokens';
/** An API token of acme's application `app`, by id. */
const apiTokenOf = (apiToken: number) => ({ path: { ...acmeApp, apiToken } });
const alice = { path: { ...acmeApp, user: 'alice' } };

async function create(access: 'full' | 'read', extra: Partial<components['schemas']['NewApiToken']> = {}, token = world.acme.admin.token) {
  const { data, error, response } = await world.api(token).POST('/management/orgs/{org}/apps/{app}/api-tokens', {
    params: { path: acmeApp },
    body: { name: `${access}-token`, access, ...extra },
  });
  if (!data) throw new Error(`create api token: ${response.status} ${JSON.stringify(error)}`);
  return { value: data.data.access_token, id: data.data.api_token.id, data, response };
}

/** The application's live API tokens, as its admin lists them. */
async function listed() {
  const { data, error, response } = await world.api(world.acme.admin.token).GET('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: acmeApp } });
  if (!data) throw new Error(`list api tokens: ${response.status} ${JSON.stringify(error)}`);
  return { data, response, tokens: data.data.api_tokens };
}

describe('createApiToken', () => {
  it('shows the value once, with a prefix of its own, and keeps only its hash', async () => {
    const { value, data, response } = await create('read', { name: 'nightly-export' });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(value).toMatch(/^tsr_api_[A-Za-z0-9_-]{43}$/);
    expect(data.data.api_token).toEqual({ id: expect.any(Number), name: 'nightly-export', access: 'read', created: clock.now(), expires: null, last_used: null });
    const rows = await world.server.deps.db('tokens').where({ kind: 'api' });
    expect(JSON.stringify(rows)).not.toContain(value);
  });

  it('makes a read token that may read everything in its application and write nothing (403 insufficient_scope)', async () => {
    const { value } = await create('read');
    const api = world.api(value);
    expect((await api.GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status).toBe(200);
    expect((await api.GET('/{org}/{app}/users/{user}', { params: alice })).response.status).toBe(200);
    expect((await world.api().GET('/{org}/{app}/users', { params: { path: acmeApp, query: { access_token: value } } })).response.status).toBe(200);
    const write = await api.POST('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'cats' } }, body: { name: 'tom' } });
    expect(write.response.status).toBe(403);
    expect(write.error?.error).toBe('insufficient_scope');
    expect(write.response.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect((await api.PUT('/{org}/{app}/users/{user}', { params: alice, body: { name: 'A' } })).response.status).toBe(403);
  });

  it('makes a full token that may write in its application, and nowhere else', async () => {
    const { value } = await create('full');
    const api = world.api(value);
    expect((await api.POST('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'cats' } }, body: { name: 'felix' } })).response.status).toBe(200);
    expect((await api.DELETE('/{org}/{app}/{collection}/{entity}', { params: { path: { ...acmeApp, collection: 'cats', entity: 'felix' } } })).response.status).toBe(200);
    expect((await api.GET('/{org}/{app}/users', { params: { path: { org: 'acme', app: 'sandbox' } } })).response.status).toBe(403);
    expect((await api.GET('/{org}/{app}/users', { params: { path: { org: 'globex', app: 'app' } } })).response.status).toBe(403);
    expect((await api.GET('/management/orgs/{org}', { params: { path: { org: 'acme' } } })).response.status).toBe(403);
  });

  it('never lets an API token, even a full one, manage API tokens', async () => {
    const { value, id } = await create('full');
    const api = world.api(value);
    expect((await api.POST('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: acmeApp }, body: { name: 'spawn', access: 'full' } })).response.status).toBe(403);
    expect((await api.GET('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: acmeApp } })).response.status).toBe(403);
    expect((await api.DELETE('/management/orgs/{org}/apps/{app}/api-tokens/{apiToken}', { params: apiTokenOf(id) })).response.status).toBe(403);
  });

  it('refuses application users, another organization’s admin and anonymous callers', async () => {
    const user = await signIn(world.http, world.acme, 'alice');
    const attempt = (token?: string) =>
      world.api(token).POST('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: acmeApp }, body: { name: 'x', access: 'read' } });
    expect((await attempt(user)).response.status).toBe(403);
    expect((await attempt(world.globex.admin.token)).response.status).toBe(403);
    expect((await attempt()).response.status).toBe(401);
  });

  it('lets the organization client create one, and refuses a bad body with 400', async () => {
    const { response } = await world.api().POST('/management/orgs/{org}/apps/{app}/api-tokens', {
      params: { path: acmeApp, query: { client_id: world.acme.clientId, client_secret: world.acme.clientSecret } },
      body: { name: 'ci', access: 'full' },
    });
    expect(response.status).toBe(200);
    // Raw: each body breaks the spec's NewApiToken on purpose (an access outside the enum, an empty name, a negative lifetime).
    expect((await world.http.post(tokensPath, { token: world.acme.admin.token, json: { name: 'x', access: 'admin' } })).status).toBe(400);
    expect((await world.http.post(tokensPath, { token: world.acme.admin.token, json: { name: '', access: 'read' } })).status).toBe(400);
    expect((await world.http.post(tokensPath, { token: world.acme.admin.token, json: { name: 'x', access: 'read', expires_in: -1 } })).status).toBe(400);
  });

  it('makes a token with expires_in that works until then and fails after', async () => {
    const { value, data } = await create('read', { expires_in: 3600 });
    expect(data.data.api_token.expires).toBe(clock.now() + 3_600_000);
    const users = () => world.api(value).GET('/{org}/{app}/users', { params: { path: acmeApp } });
    clock.advance(3_600_000 - 1);
    expect((await users()).response.status).toBe(200);
    clock.advance(1);
    const expired = await users();
    expect(expired.response.status).toBe(401);
    expect(expired.error?.error).toBe('expired_token');
  });
});

describe('listApiTokens', () => {
  it('lists name, access, creation and last use, never the value', async () => {
    const { value, id } = await create('full', { name: 'listed' });
    const before = await listed();
    expect(before.response.status).toBe(200);
    const entry = () => before.tokens.find((t) => t.id === id);
    expect(entry()).toEqual({ id, name: 'listed', access: 'full', created: expect.any(Number), expires: null, last_used: null });
    // The whole answer, every field of it, not only the entries.
    expect(JSON.stringify(before.data)).not.toContain(value);

    clock.advance(5000);
    await world.api(value).GET('/{org}/{app}/users', { params: { path: acmeApp } });
    const after = await listed();
    expect(after.tokens.find((t) => t.id === id)?.last_used).toBe(clock.now());
  });

  it("lists only the application's own tokens", async () => {
    const mine = await create('read', { name: 'mine' });
    const sandbox = await world.api(world.acme.admin.token).GET('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: { org: 'acme', app: 'sandbox' } } });
    expect(sandbox.response.status).toBe(200);
    expect(sandbox.data?.data.api_tokens.map((t) => t.id)).not.toContain(mine.id);
  });
});

describe('revokeApiToken', () => {
  it('revokes a token, which fails on the very next request and leaves the list', async () => {
    const { value, id } = await create('full', { name: 'doomed' });
    const users = () => world.api(value).GET('/{org}/{app}/users', { params: { path: acmeApp } });
    expect((await users()).response.status).toBe(200);
    const { data, response } = await world.api(world.acme.admin.token).DELETE('/management/orgs/{org}/apps/{app}/api-tokens/{apiToken}', { params: apiTokenOf(id) });
    expect(response.status).toBe(200);
    expect(data?.data.api_token).toMatchObject({ id, name: 'doomed' });
    const after = await users();
    expect(after.response.status).toBe(401);
    expect(after.error?.error).toBe('invalid_token');
    expect((await listed()).tokens.map((t) => t.id)).not.toContain(id);
  });

  it("answers 404 for an unknown id, one already revoked, and another application's token", async () => {
    const admin = world.api(world.acme.admin.token);
    const revoke = (apiToken: number, app = 'app') =>
      admin.DELETE('/management/orgs/{org}/apps/{app}/api-tokens/{apiToken}', { params: { path: { org: 'acme', app, apiToken } } });
    const { id } = await create('read');
    await revoke(id);
    expect((await revoke(id)).response.status).toBe(404);
    expect((await revoke(999999)).response.status).toBe(404);
    // The largest id a column holds on both engines; past it one answer too (SQLite said 404, PostgreSQL 400).
    expect((await revoke(2147483647)).response.status).toBe(404);
    expect((await revoke(2147483648)).response.status).toBe(400);
    const other = await create('read');
    expect((await revoke(other.id, 'sandbox')).response.status).toBe(404);
    // An admin's access token is not an API token, whatever its id.
    const adminTokenRow = await world.server.deps.db('tokens').where({ kind: 'access' }).first();
    expect((await revoke(adminTokenRow.id)).response.status).toBe(404);
  });
});

describe('an API token and its creator', () => {
  it('keeps working when the creator logs out everywhere, changes password or is removed', async () => {
    const creator = await adminSignIn(world.http, world.acme);
    const { value } = await create('full', { name: 'outlives' }, creator);
    const users = (token: string) => world.api(token).GET('/{org}/{app}/users', { params: { path: acmeApp } });
    expect((await world.api(creator).POST('/management/users/{user}/revoketokens', { params: { path: { user: 'me' } } })).response.status).toBe(200);
    expect((await world.api(creator).GET('/management/orgs/{org}', { params: { path: { org: 'acme' } } })).response.status).toBe(401);
    expect((await users(value)).response.status).toBe(200);

    // There is no API yet to change an admin's password or remove an admin; do what those will do.
    const admin = (await world.server.deps.repositories.adminUsers.find(world.acme.admin.username))!;
    await world.server.deps.repositories.adminUsers.setPassword(admin.id, 'scrypt$changed', clock.now());
    await world.server.deps.tokens.revokeWhere({ subjectKind: 'admin', subjectId: admin.id });
    await world.server.deps.db('organization_admins').where({ admin_user_id: admin.id }).delete();
    await world.server.deps.db('admin_users').where({ id: admin.id }).delete();
    expect((await users(value)).response.status).toBe(200);
    expect((await world.api(value).POST('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'cats' } }, body: { name: 'survivor' } })).response.status).toBe(200);
    expect((await users(await superuserToken(world.http))).response.status).toBe(200);
  });
});

describe('user tokens an API token mints', () => {
  it('live no longer than the API token, and die with its revocation', async () => {
    const admin = await superuserToken(world.http);
    const { value, id } = await create('full', { expires_in: 60 }, admin);
    const minted = await world.api(value).GET('/{org}/{app}/users/{user}/token', { params: { ...alice, query: { ttl: 7 * 24 * 3600_000 } } });
    expect(minted.response.status).toBe(200);
    expect(minted.data!.expires_in).toBeLessThanOrEqual(60);
    const asAlice = world.api(minted.data!.access_token);
    expect((await asAlice.GET('/{org}/{app}/users/{user}', { params: alice })).response.status).toBe(200);
    expect((await world.api(admin).DELETE('/management/orgs/{org}/apps/{app}/api-tokens/{apiToken}', { params: apiTokenOf(id) })).response.status).toBe(200);
    expect((await asAlice.GET('/{org}/{app}/users/{user}', { params: alice })).response.status).toBe(401);
  });
});
