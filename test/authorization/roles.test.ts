import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, world, type World } from './support.js';

let w: World;
let roles: string;

beforeAll(async () => {
  w = await world();
  roles = `${w.app}/roles`;
  await w.user('rita');
  await w.user('sam');
});
afterAll(() => w.server.close());

const names = (body: { entities: { name: string }[] }) => body.entities.map((r) => r.name).sort();
const permissionsOf = async (path: string) => (await w.asAdmin('get', `${path}/permissions`)).data;

describe('listRoles', () => {
  it('gives a new application exactly the built-in roles admin, default and guest (§8 #21, with the application client)', async () => {
    const answer = await w.http.get(`${roles}?client_id=${w.org.app.clientId}&client_secret=${w.org.app.clientSecret}`);
    expectStatus(answer, 200);
    expect(names(answer.body)).toEqual(['admin', 'default', 'guest']);
    expect(answer.body.entities.find((r: { name: string }) => r.name === 'admin')).toMatchObject({ type: 'role', roleName: 'admin', title: 'Administrator', inactivity: 0 });
  });

  it('lets guests post users and signed-in users do everything, and gives admin nothing (reference §5.1)', async () => {
    expect(await permissionsOf(`${roles}/guest`)).toEqual(['post:/users']);
    expect(await permissionsOf(`${roles}/default`)).toEqual(['get,put,post,delete:/**']);
    expect(await permissionsOf(`${roles}/admin`)).toEqual([]);
  });

  it('opens the sandbox to guests and signed-in users alike (reference §5.2)', async () => {
    const sandbox = `/${w.org.name}/sandbox/roles`;
    expect(await permissionsOf(`${sandbox}/guest`)).toEqual(['get,put,post,delete:/**']);
    expect(await permissionsOf(`${sandbox}/default`)).toEqual(['get,put,post,delete:/**']);
  });

  it('pages with a cursor', async () => {
    const first = await w.asAdmin('get', `${roles}?limit=2`);
    expect(first.entities).toHaveLength(2);
    const rest = await w.asAdmin('get', `${roles}?limit=2&cursor=${first.cursor}`);
    expect(rest.entities.length).toBeGreaterThan(0);
  });
});

describe('createRole', () => {
  it("stores the name in lower case, defaults the title to it, and answers with Usergrid's role entity", async () => {
    const body = await w.asAdmin('post', roles, { name: 'Reviewer' });
    const [role] = body.entities;
    expect(role).toMatchObject({ type: 'role', name: 'reviewer', roleName: 'reviewer', title: 'reviewer', inactivity: 0 });
    expect(role.metadata).toEqual({ path: `/roles/${role.uuid}`, sets: { permissions: `/roles/${role.uuid}/permissions` }, collections: { users: `/roles/${role.uuid}/users` } });
    expect(body).toMatchObject({ action: 'post', path: '/roles', count: 1, organization: 'acme', applicationName: 'app' });
  });

  it('refuses a taken name (any case) with 409, a uuid-shaped name and a non-zero inactivity with 400', async () => {
    expectStatus(await w.http.post(roles, { token: w.admin, json: { name: 'REVIEWER' } }), 409);
    expectStatus(await w.http.post(roles, { token: w.admin, json: { name: '6f1c7d0e-0000-4000-8000-00000000a11c' } }), 400);
    const idle = await w.http.post(roles, { token: w.admin, json: { name: 'idle', inactivity: 1800 } });
    expectStatus(idle, 400);
    expect(idle.body.error_description).toContain('inactivity');
    expectStatus(await w.http.post(roles, { token: w.admin, json: { name: 'has space' } }), 400);
  });
});

describe('getRole, updateRole and deleteRole', () => {
  it('finds a role by name in any case or by uuid, and answers 404 for an unknown one', async () => {
    const byName = await w.asAdmin('get', `${roles}/REVIEWER`);
    const { uuid } = byName.entities[0];
    expect((await w.asAdmin('get', `${roles}/${uuid}`)).entities[0].name).toBe('reviewer');
    expectStatus(await w.http.get(`${roles}/banana`, { token: w.admin }), 404);
  });

  it("changes a role's title", async () => {
    expect((await w.asAdmin('put', `${roles}/reviewer`, { title: 'Book reviewer' })).entities[0].title).toBe('Book reviewer');
    expectStatus(await w.http.put(`${roles}/reviewer`, { token: w.admin, json: { inactivity: 5 } }), 400);
  });

  it('deletes a role with its permissions and its links to users', async () => {
    await w.asAdmin('post', roles, { name: 'temporary' });
    await w.asAdmin('post', `${roles}/temporary/permissions`, { permission: 'get:/tmp' });
    await w.asAdmin('post', `${roles}/temporary/users/rita`);
    expect((await w.asAdmin('delete', `${roles}/temporary`)).entities[0].name).toBe('temporary');
    expectStatus(await w.http.get(`${roles}/temporary`, { token: w.admin }), 404);
    expect((await w.asAdmin('get', `${w.app}/users/rita/roles`)).entities).toEqual([]);
    // A new role of the same name starts empty.
    await w.asAdmin('post', roles, { name: 'temporary' });
    expect(await permissionsOf(`${roles}/temporary`)).toEqual([]);
  });
});

describe('role permissions', () => {
  const path = () => `${roles}/reviewer/permissions`;

  it('adds a permission with POST or PUT and answers with them all in data (normalized)', async () => {
    const added = await w.asAdmin('post', path(), { permission: 'get,put,post:/reviews/**' });
    expect(added.data).toEqual(['get,put,post:/reviews/**']);
    const put = await w.asAdmin('put', path(), { permission: 'POST, GET:/Books/*' });
    expect(put.data).toEqual(['get,put,post:/reviews/**', 'get,post:/books/*']);
    // The same permission spelled otherwise is already there.
    expect((await w.asAdmin('post', path(), { permission: 'get,post:/books/*' })).data).toHaveLength(2);
    expect((await w.asAdmin('get', path())).data).toEqual(['get,put,post:/reviews/**', 'get,post:/books/*']);
  });

  it('removes a permission named by ?permission=, in any spelling, and answers 404 for one the role lacks', async () => {
    const removed = await w.asAdmin('delete', `${path()}?permission=${encodeURIComponent('POST,get:/books/*')}`);
    expect(removed.data).toEqual(['get,put,post:/reviews/**']);
    expectStatus(await w.http.delete(`${path()}?permission=${encodeURIComponent('get:/books/*')}`, { token: w.admin }), 404);
  });

  it('refuses a missing or malformed permission with 400', async () => {
    expectStatus(await w.http.post(path(), { token: w.admin, json: {} }), 400);
    expectStatus(await w.http.delete(path(), { token: w.admin }), 400);
    const bad = await w.http.post(path(), { token: w.admin, json: { permission: 'fly:/reviews' } });
    expectStatus(bad, 400);
    expect(bad.body.error).toBe('illegal_argument');
  });

  it('answers 404 for the permissions of an unknown role', async () => {
    expectStatus(await w.http.get(`${roles}/banana/permissions`, { token: w.admin }), 404);
    expectStatus(await w.http.post(`${roles}/banana/permissions`, { token: w.admin, json: { permission: 'get:/x' } }), 404);
  });
});

describe('giving users roles', () => {
  it('gives a role from the role side (answering with the user) and from the user side (answering with the role)', async () => {
    const fromRole = await w.asAdmin('post', `${roles}/reviewer/users/rita`);
    expect(fromRole.entities[0]).toMatchObject({ type: 'user', username: 'rita' });
    const fromUser = await w.asAdmin('post', `${w.app}/users/sam/roles/reviewer`);
    expect(fromUser.entities[0]).toMatchObject({ type: 'role', name: 'reviewer' });
    // Twice changes nothing.
    await w.asAdmin('post', `${roles}/reviewer/users/rita`);
    expect((await w.asAdmin('get', `${roles}/reviewer/users`)).entities.map((u: { username: string }) => u.username)).toEqual(['rita', 'sam']);
    expect(names(await w.asAdmin('get', `${w.app}/users/rita/roles`))).toEqual(['reviewer']);
    expect((await w.asAdmin('get', `${w.app}/users/rita/roles/reviewer`)).entities[0].name).toBe('reviewer');
  });

  it('takes a role away from either side, and answers 404 for a role the user does not have', async () => {
    await w.asAdmin('delete', `${w.app}/users/sam/roles/reviewer`);
    expectStatus(await w.http.get(`${w.app}/users/sam/roles/reviewer`, { token: w.admin }), 404);
    expectStatus(await w.http.delete(`${roles}/reviewer/users/sam`, { token: w.admin }), 404);
    expectStatus(await w.http.post(`${roles}/reviewer/users/nobody`, { token: w.admin }), 404);
    expectStatus(await w.http.post(`${w.app}/users/sam/roles/banana`, { token: w.admin }), 404);
  });
});

describe('user permissions', () => {
  it('adds, lists and removes permissions of a user (the docs example: post:/users)', async () => {
    expect((await w.asAdmin('post', `${w.app}/users/sam/permissions`, { permission: 'post:/users' })).data).toEqual(['post:/users']);
    expect((await w.asAdmin('get', `${w.app}/users/sam/permissions`)).data).toEqual(['post:/users']);
    expect((await w.asAdmin('delete', `${w.app}/users/sam/permissions?permission=post:/users`)).data).toEqual([]);
  });

  it('shows a signed-in user their own permissions at /users/me/permissions', async () => {
    await w.asAdmin('put', `${w.app}/users/sam/permissions`, { permission: 'get:/cats' });
    const token = await w.signIn('sam');
    const answer = await w.http.get(`${w.app}/users/me/permissions`, { token });
    expectStatus(answer, 200);
    expect(answer.body.data).toEqual(['get:/cats']);
  });
});

describe('who may change roles and permissions', () => {
  it('refuses an application user with 403 even with the default role, so no one grants themselves anything', async () => {
    const token = await w.signIn('rita');
    expectStatus(await w.http.post(roles, { token, json: { name: 'mine' } }), 403);
    expectStatus(await w.http.post(`${roles}/default/permissions`, { token, json: { permission: 'get:/**' } }), 403);
    expectStatus(await w.http.post(`${w.app}/users/me/roles/admin`, { token }), 403);
    expectStatus(await w.http.post(`${w.app}/users/me/permissions`, { token, json: { permission: 'get:/**' } }), 403);
    // Reading is a path permission like any other: the default role allows it.
    expectStatus(await w.http.get(roles, { token }), 200);
  });

  it('refuses an anonymous caller with 401, even in the sandbox', async () => {
    expectStatus(await w.http.post(roles, { json: { name: 'mine' } }), 401);
    expectStatus(await w.http.post(`/${w.org.name}/sandbox/roles`, { json: { name: 'mine' } }), 401);
  });

  it('lets the organization client and the application client in, and keeps another organization out', async () => {
    const org = `client_id=${w.org.clientId}&client_secret=${w.org.clientSecret}`;
    const app = `client_id=${w.org.app.clientId}&client_secret=${w.org.app.clientSecret}`;
    expectStatus(await w.http.post(`${roles}?${org}`, { json: { name: 'by-org-client' } }), 200);
    expectStatus(await w.http.post(`${roles}?${app}`, { json: { name: 'by-app-client' } }), 200);
    const { createOrganization } = await import('../helpers/fixtures.js');
    const globex = await createOrganization(w.http, 'globex');
    expectStatus(await w.http.post(roles, { token: globex.admin.token, json: { name: 'intruder' } }), 403);
    expectStatus(await w.http.get(roles, { token: globex.admin.token }), 403);
  });
});
