import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let http: Client;
let acme: OrganizationFixture;
let token: string;
const base = '/acme/app/users';

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  acme = await createOrganization(http, 'acme');
  token = acme.admin.token;
});
afterAll(() => server.close());

describe('createUser', () => {
  it('creates a user with a uuid and an integer id, keeps extra properties, and never returns the password', async () => {
    const answer = await http.post(base, { token, json: { username: 'carol', email: 'Carol@Example.com', password: 'carol-password', name: 'Carol', team: 'red' } });
    expect(answer.status).toBe(200);
    expect(answer.body.action).toBe('post');
    const [user] = answer.body.entities;
    expect(user).toMatchObject({ type: 'user', username: 'carol', email: 'carol@example.com', name: 'Carol', team: 'red', activated: true });
    expect(user.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.id).toEqual(expect.any(Number));
    expect(JSON.stringify(answer.body)).not.toContain('carol-password');
    expect(answer.body).toMatchObject({ organization: 'acme', applicationName: 'app', path: '/users', count: 1 });
  });

  it('also takes a form-encoded body', async () => {
    const answer = await http.post(base, { token, form: { username: 'dave', password: 'dave-password' } });
    expect(answer.status).toBe(200);
    expect(answer.body.entities[0].username).toBe('dave');
  });

  it("refuses the reserved username 'me' with 400, and a taken username or email with 409", async () => {
    const me = await http.post(base, { token, json: { username: 'me', password: 'long-password' } });
    expect(me.status).toBe(400);
    expect(me.body.error_description).toBe("Username 'me' is reserved");
    expect((await http.post(base, { token, json: { username: 'carol', password: 'long-password' } })).status).toBe(409);
    expect((await http.post(base, { token, json: { username: 'carol2', email: 'carol@example.com', password: 'long-password' } })).status).toBe(409);
  });

  it('refuses a short password and a missing username with 400 naming the field', async () => {
    const short = await http.post(base, { token, json: { username: 'erin', password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.error_description).toContain('password');
    const missing = await http.post(base, { token, json: { password: 'long-password' } });
    expect(missing.body.error_description).toContain('username');
  });
});

describe('getUser', () => {
  it('finds a user by uuid, by username and by email', async () => {
    const byName = await http.get(`${base}/carol`, { token });
    expect(byName.status).toBe(200);
    const { uuid } = byName.body.entities[0];
    expect((await http.get(`${base}/${uuid}`, { token })).body.entities[0].username).toBe('carol');
    expect((await http.get(`${base}/carol@example.com`, { token })).body.entities[0].uuid).toBe(uuid);
  });

  it('answers 404 for an unknown user and for an unknown application', async () => {
    expect((await http.get(`${base}/nobody`, { token })).status).toBe(404);
    const noApp = await http.get('/acme/nosuchapp/users', { token });
    expect(noApp.status).toBe(404);
    expect(noApp.body.error).toBe('application_not_found');
  });
});

describe('updateUser', () => {
  it('changes the fields sent and keeps the others', async () => {
    const answer = await http.put(`${base}/carol`, { token, json: { name: 'Carol Jones', team: 'blue' } });
    expect(answer.status).toBe(200);
    expect(answer.body.entities[0]).toMatchObject({ name: 'Carol Jones', team: 'blue', email: 'carol@example.com' });
  });

  it("refuses renaming a user to 'me'", async () => {
    expect((await http.put(`${base}/carol`, { token, json: { username: 'me' } })).status).toBe(400);
  });
});

describe('deleteUser', () => {
  it('deletes the user, after which it is not found', async () => {
    expect((await http.delete(`${base}/dave`, { token })).status).toBe(200);
    expect((await http.get(`${base}/dave`, { token })).status).toBe(404);
  });
});

describe('listUsers', () => {
  it('pages through users in creation order with an opaque cursor', async () => {
    for (const name of ['u1', 'u2', 'u3', 'u4']) await http.post(base, { token, json: { username: name, password: 'long-password' } });
    const first = await http.get(`${base}?limit=2`, { token });
    expect(first.body.entities.map((u: { username: string }) => u.username)).toEqual(['carol', 'u1']);
    expect(first.body.cursor).toEqual(expect.any(String));
    const second = await http.get(`${base}?limit=2&cursor=${first.body.cursor}`, { token });
    expect(second.body.entities.map((u: { username: string }) => u.username)).toEqual(['u2', 'u3']);
    const last = await http.get(`${base}?limit=2&cursor=${second.body.cursor}`, { token });
    expect(last.body.entities.map((u: { username: string }) => u.username)).toEqual(['u4']);
    expect(last.body.cursor).toBeUndefined();
  });

  it('refuses a forged cursor and an out-of-range limit with 400', async () => {
    expect((await http.get(`${base}?cursor=bm9wZQ`, { token })).status).toBe(400);
    expect((await http.get(`${base}?limit=0`, { token })).status).toBe(400);
    expect((await http.get(`${base}?limit=5000`, { token })).status).toBe(400);
  });
});

describe('application data access', () => {
  it('is open to the organization client and the application client, and closed without a credential', async () => {
    expect((await http.get(`${base}?client_id=${acme.clientId}&client_secret=${acme.clientSecret}`)).status).toBe(200);
    expect((await http.get(`${base}?client_id=${acme.app.clientId}&client_secret=${acme.app.clientSecret}`)).status).toBe(200);
    const anonymous = await http.get(base);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error).toBe('unauthorized');
  });

  it("does not let an application's client reach another application of the same organization", async () => {
    const other = await http.get(`/acme/sandbox/users?client_id=${acme.app.clientId}&client_secret=${acme.app.clientSecret}`);
    expect(other.status).toBe(403);
  });

  it('does not let an admin of another organization in', async () => {
    const globex = await createOrganization(http, 'globex');
    expect((await http.get(base, { token: globex.admin.token })).status).toBe(403);
  });
});
