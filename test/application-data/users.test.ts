import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, asForm, tessera, type Tessera } from '../helpers/api.js';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { firstEntity } from './support.js';

let server: TestServer;
/** Untyped, for the bodies the spec forbids on purpose. */
let http: Client;
/** The organization admin's typed client. */
let api: Tessera;
let acme: OrganizationFixture;
let token: string;
const app = { org: 'acme', app: 'app' };
const users = { path: app };
const user = (user: string) => ({ path: { ...app, user } });

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  acme = await createOrganization(server.url, 'acme');
  token = acme.admin.token;
  api = tessera(server.url, token);
});
afterAll(() => server.close());

describe('createUser', () => {
  it('creates a user with a uuid and an integer id, keeps extra properties, and never returns the password', async () => {
    const answer = await api.POST('/{org}/{app}/users', { params: users, body: { username: 'carol', email: 'Carol@Example.com', password: 'carol-password', name: 'Carol', team: 'red' } });
    expect(answer.response.status).toBe(200);
    const body = ok(answer);
    expect(body.action).toBe('post');
    const carol = firstEntity(answer);
    expect(carol).toMatchObject({ type: 'user', username: 'carol', email: 'carol@example.com', name: 'Carol', team: 'red', activated: true });
    expect(carol.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(carol.id).toEqual(expect.any(Number));
    expect(JSON.stringify(body)).not.toContain('carol-password');
    expect(body).toMatchObject({ organization: 'acme', applicationName: 'app', path: '/users', count: 1 });
  });

  it('also takes a form-encoded body', async () => {
    const answer = await api.POST('/{org}/{app}/users', { params: users, body: { username: 'dave', password: 'dave-password' }, ...asForm });
    expect(answer.response.status).toBe(200);
    expect(firstEntity(answer).username).toBe('dave');
  });

  it("refuses the reserved username 'me' with 400, and a taken username or email with 409", async () => {
    const me = await api.POST('/{org}/{app}/users', { params: users, body: { username: 'me', password: 'long-password' } });
    expect(me.response.status).toBe(400);
    expect(me.error?.error_description).toMatch(/^The username is reserved/);
    expect((await api.POST('/{org}/{app}/users', { params: users, body: { username: 'carol', password: 'long-password' } })).response.status).toBe(409);
    expect((await api.POST('/{org}/{app}/users', { params: users, body: { username: 'carol2', email: 'carol@example.com', password: 'long-password' } })).response.status).toBe(409);
  });

  it('refuses a short password and a missing username with 400 naming the field', async () => {
    const short = await api.POST('/{org}/{app}/users', { params: users, body: { username: 'erin', password: 'short' } });
    expect(short.response.status).toBe(400);
    expect(short.error?.error_description).toContain('password');
    // The spec requires a username, so the typed client cannot leave it out.
    const missing = await http.post('/acme/app/users', { token, json: { password: 'long-password' } });
    expect(missing.body.error_description).toContain('username');
  });
});

describe('getUser', () => {
  it('finds a user by uuid, by username and by email', async () => {
    const byName = await api.GET('/{org}/{app}/users/{user}', { params: user('carol') });
    expect(byName.response.status).toBe(200);
    const { uuid } = firstEntity(byName);
    expect(firstEntity(await api.GET('/{org}/{app}/users/{user}', { params: user(uuid) })).username).toBe('carol');
    expect(firstEntity(await api.GET('/{org}/{app}/users/{user}', { params: user('carol@example.com') })).uuid).toBe(uuid);
  });

  it('answers 404 for an unknown user and for an unknown application', async () => {
    expect((await api.GET('/{org}/{app}/users/{user}', { params: user('nobody') })).response.status).toBe(404);
    const noApp = await api.GET('/{org}/{app}/users', { params: { path: { org: 'acme', app: 'nosuchapp' } } });
    expect(noApp.response.status).toBe(404);
    expect(noApp.error?.error).toBe('application_not_found');
  });
});

describe('updateUser', () => {
  it('changes the fields sent and keeps the others', async () => {
    const answer = await api.PUT('/{org}/{app}/users/{user}', { params: user('carol'), body: { name: 'Carol Jones', team: 'blue' } });
    expect(answer.response.status).toBe(200);
    expect(firstEntity(answer)).toMatchObject({ name: 'Carol Jones', team: 'blue', email: 'carol@example.com' });
  });

  it("refuses renaming a user to 'me'", async () => {
    expect((await api.PUT('/{org}/{app}/users/{user}', { params: user('carol'), body: { username: 'me' } })).response.status).toBe(400);
  });
});

describe('deleteUser', () => {
  it('deletes the user, after which it is not found', async () => {
    expect((await api.DELETE('/{org}/{app}/users/{user}', { params: user('dave') })).response.status).toBe(200);
    expect((await api.GET('/{org}/{app}/users/{user}', { params: user('dave') })).response.status).toBe(404);
  });
});

describe('listUsers', () => {
  it('pages through users in creation order with an opaque cursor', async () => {
    for (const name of ['u1', 'u2', 'u3', 'u4']) await api.POST('/{org}/{app}/users', { params: users, body: { username: name, password: 'long-password' } });
    const page = async (cursor?: string) => ok(await api.GET('/{org}/{app}/users', { params: { path: app, query: { limit: 2, cursor } } }));
    const first = await page();
    expect(first.entities.map((u) => u.username)).toEqual(['carol', 'u1']);
    expect(first.cursor).toEqual(expect.any(String));
    const second = await page(first.cursor);
    expect(second.entities.map((u) => u.username)).toEqual(['u2', 'u3']);
    const last = await page(second.cursor);
    expect(last.entities.map((u) => u.username)).toEqual(['u4']);
    expect(last.cursor).toBeUndefined();
  });

  it('refuses a forged cursor and an out-of-range limit with 400', async () => {
    const list = (query: { cursor?: string; limit?: number }) => api.GET('/{org}/{app}/users', { params: { path: app, query } });
    expect((await list({ cursor: 'bm9wZQ' })).response.status).toBe(400);
    expect((await list({ limit: 0 })).response.status).toBe(400);
    expect((await list({ limit: 5000 })).response.status).toBe(400);
  });
});

describe('application data access', () => {
  it('is open to the organization client and the application client, and closed without a credential', async () => {
    const anonymous = tessera(server.url);
    const withClient = (client_id: string, client_secret: string) =>
      anonymous.GET('/{org}/{app}/users', { params: { path: app, query: { client_id, client_secret } } });
    expect((await withClient(acme.clientId, acme.clientSecret)).response.status).toBe(200);
    expect((await withClient(acme.app.clientId, acme.app.clientSecret)).response.status).toBe(200);
    const refused = await anonymous.GET('/{org}/{app}/users', { params: users });
    expect(refused.response.status).toBe(401);
    expect(refused.error?.error).toBe('unauthorized');
  });

  it("does not let an application's client reach another application of the same organization", async () => {
    const other = await tessera(server.url).GET('/{org}/{app}/users', {
      params: { path: { org: 'acme', app: 'sandbox' }, query: { client_id: acme.app.clientId, client_secret: acme.app.clientSecret } },
    });
    expect(other.response.status).toBe(403);
  });

  it('does not let an admin of another organization in', async () => {
    const globex = await createOrganization(server.url, 'globex');
    expect((await tessera(server.url, globex.admin.token).GET('/{org}/{app}/users', { params: users })).response.status).toBe(403);
  });
});
