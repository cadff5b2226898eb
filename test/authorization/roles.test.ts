import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { acmeApp, type AppParams } from '../helpers/fixtures.js';
import { systemClock } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { expectStatus, first } from './support.js';

let w: World;

beforeAll(async () => {
  w = await startWorld({ clock: systemClock });
  await createUser(w.http, w.acme, 'rita');
  await createUser(w.http, w.acme, 'sam');
});
afterAll(() => w.server.close());

const names = (body: { entities: { name: string }[] }) => body.entities.map((r) => r.name).sort();
/** A role of the application (`acmeApp` unless told otherwise), as path parameters. */
const role = (name: string, app: AppParams = acmeApp) => ({ ...app, role: name });
const permissionsOf = async (path: { org: string; app: string; role: string }) =>
  (await ok(w.asAdmin.GET('/{org}/{app}/roles/{role}/permissions', { params: { path } }), 200)).data;

describe('listRoles', () => {
  it('gives a new application exactly the built-in roles admin, default and guest (§8 #21, with the application client)', async () => {
    const body = await ok(w.api().GET('/{org}/{app}/roles', {
      params: { path: acmeApp, query: { client_id: w.acme.app.clientId, client_secret: w.acme.app.clientSecret } },
    }), 200);
    expect(names(body)).toEqual(['admin', 'default', 'guest']);
    expect(body.entities.find((r) => r.name === 'admin')).toMatchObject({ type: 'role', roleName: 'admin', title: 'Administrator', inactivity: 0 });
  });

  it('lets guests post users and signed-in users do everything, and gives admin nothing (reference §5.1)', async () => {
    expect(await permissionsOf(role('guest'))).toEqual(['post:/users']);
    expect(await permissionsOf(role('default'))).toEqual(['get,put,post,delete:/**']);
    expect(await permissionsOf(role('admin'))).toEqual([]);
  });

  it('opens the sandbox to guests and signed-in users alike (reference §5.2)', async () => {
    const sandbox = { org: w.acme.name, app: 'sandbox' };
    expect(await permissionsOf(role('guest', sandbox))).toEqual(['get,put,post,delete:/**']);
    expect(await permissionsOf(role('default', sandbox))).toEqual(['get,put,post,delete:/**']);
  });

  it('pages with a cursor', async () => {
    const page = await ok(w.asAdmin.GET('/{org}/{app}/roles', { params: { path: acmeApp, query: { limit: 2 } } }), 200);
    expect(page.entities).toHaveLength(2);
    const rest = await ok(w.asAdmin.GET('/{org}/{app}/roles', { params: { path: acmeApp, query: { limit: 2, cursor: page.cursor } } }), 200);
    expect(rest.entities.length).toBeGreaterThan(0);
  });
});

describe('createRole', () => {
  it("stores the name in lower case, defaults the title to it, and answers with Usergrid's role entity", async () => {
    const body = await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'Reviewer' } }), 200);
    const created = first(body.entities);
    expect(created).toMatchObject({ type: 'role', name: 'reviewer', roleName: 'reviewer', title: 'reviewer', inactivity: 0 });
    expect(created.metadata).toEqual({ path: `/roles/${created.uuid}`, sets: { permissions: `/roles/${created.uuid}/permissions` }, collections: { users: `/roles/${created.uuid}/users`, groups: `/roles/${created.uuid}/groups` } });
    expect(body).toMatchObject({ action: 'post', path: '/roles', count: 1, organization: 'acme', applicationName: 'app' });
  });

  it('refuses a taken name (any case) with 409, a uuid-shaped name and a non-zero inactivity with 400', async () => {
    const create = (body: { name: string; inactivity?: number }) => w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body });
    expectStatus(await create({ name: 'REVIEWER' }), 409);
    expectStatus(await create({ name: '6f1c7d0e-0000-4000-8000-00000000a11c' }), 400);
    const idle = await create({ name: 'idle', inactivity: 1800 });
    expectStatus(idle, 400);
    expect(idle.error?.error_description).toContain('inactivity');
    expectStatus(await create({ name: 'has space' }), 400);
  });
});

describe('getRole, updateRole and deleteRole', () => {
  it('finds a role by name in any case or by uuid, and answers 404 for an unknown one', async () => {
    const byName = await ok(w.asAdmin.GET('/{org}/{app}/roles/{role}', { params: { path: role('REVIEWER') } }), 200);
    const { uuid } = first(byName.entities);
    expect(first((await ok(w.asAdmin.GET('/{org}/{app}/roles/{role}', { params: { path: role(uuid) } }), 200)).entities).name).toBe('reviewer');
    expectStatus(await w.asAdmin.GET('/{org}/{app}/roles/{role}', { params: { path: role('banana') } }), 404);
  });

  it("changes a role's title", async () => {
    const updated = await ok(w.asAdmin.PUT('/{org}/{app}/roles/{role}', { params: { path: role('reviewer') }, body: { title: 'Book reviewer' } }), 200);
    expect(first(updated.entities).title).toBe('Book reviewer');
    expectStatus(await w.asAdmin.PUT('/{org}/{app}/roles/{role}', { params: { path: role('reviewer') }, body: { inactivity: 5 } }), 400);
  });

  it('deletes a role with its permissions and its links to users', async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'temporary' } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: role('temporary') }, body: { permission: 'get:/tmp' } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/users/{user}', { params: { path: { ...role('temporary'), user: 'rita' } } }), 200);
    expect(first((await ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}', { params: { path: role('temporary') } }), 200)).entities).name).toBe('temporary');
    expectStatus(await w.asAdmin.GET('/{org}/{app}/roles/{role}', { params: { path: role('temporary') } }), 404);
    expect((await ok(w.asAdmin.GET('/{org}/{app}/users/{user}/roles', { params: { path: { ...acmeApp, user: 'rita' } } }), 200)).entities).toEqual([]);
    // A new role of the same name starts empty.
    await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'temporary' } }), 200);
    expect(await permissionsOf(role('temporary'))).toEqual([]);
  });
});

describe('role permissions', () => {
  const reviewer = () => ({ path: role('reviewer') });
  const grant = (permission: string) => w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: reviewer(), body: { permission } });

  it('adds a permission with POST or PUT and answers with them all in data (normalized)', async () => {
    const added = await ok(grant('get,put,post:/reviews/**'), 200);
    expect(added.data).toEqual(['get,put,post:/reviews/**']);
    const put = await ok(w.asAdmin.PUT('/{org}/{app}/roles/{role}/permissions', { params: reviewer(), body: { permission: 'POST, GET:/Books/*' } }), 200);
    expect(put.data).toEqual(['get,put,post:/reviews/**', 'get,post:/books/*']);
    // The same permission spelled otherwise is already there.
    expect((await ok(grant('get,post:/books/*'), 200)).data).toHaveLength(2);
    expect(await permissionsOf(role('reviewer'))).toEqual(['get,put,post:/reviews/**', 'get,post:/books/*']);
  });

  it('removes a permission named by ?permission=, in any spelling, and answers 404 for one the role lacks', async () => {
    const revoke = (permission: string) => w.asAdmin.DELETE('/{org}/{app}/roles/{role}/permissions', { params: { ...reviewer(), query: { permission } } });
    const removed = await ok(revoke('POST,get:/books/*'), 200);
    expect(removed.data).toEqual(['get,put,post:/reviews/**']);
    expectStatus(await revoke('get:/books/*'), 404);
  });

  it('refuses a missing or malformed permission with 400', async () => {
    // A body without `permission` and a DELETE without `?permission=` are outside the spec: untyped on purpose.
    const path = `/acme/app/roles/reviewer/permissions`;
    expectStatus(await w.http.post(path, { token: w.acme.admin.token, json: {} }), 400);
    expectStatus(await w.http.delete(path, { token: w.acme.admin.token }), 400);
    const bad = await grant('fly:/reviews');
    expectStatus(bad, 400);
    expect(bad.error?.error).toBe('illegal_argument');
  });

  it('answers 404 for the permissions of an unknown role', async () => {
    expectStatus(await w.asAdmin.GET('/{org}/{app}/roles/{role}/permissions', { params: { path: role('banana') } }), 404);
    expectStatus(await w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: role('banana') }, body: { permission: 'get:/x' } }), 404);
  });
});

describe('giving users roles', () => {
  const roleUser = (user: string) => ({ path: { ...role('reviewer'), user } });
  const userRole = (user: string, name: string) => ({ path: { ...acmeApp, user, role: name } });

  it('gives a role from the role side (answering with the user) and from the user side (answering with the role)', async () => {
    const fromRole = await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/users/{user}', { params: roleUser('rita') }), 200);
    expect(first(fromRole.entities)).toMatchObject({ type: 'user', username: 'rita' });
    const fromUser = await ok(w.asAdmin.POST('/{org}/{app}/users/{user}/roles/{role}', { params: userRole('sam', 'reviewer') }), 200);
    expect(first(fromUser.entities)).toMatchObject({ type: 'role', name: 'reviewer' });
    // Twice changes nothing.
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/users/{user}', { params: roleUser('rita') }), 200);
    const members = await ok(w.asAdmin.GET('/{org}/{app}/roles/{role}/users', { params: { path: role('reviewer') } }), 200);
    expect(members.entities.map((u) => u.username)).toEqual(['rita', 'sam']);
    expect(names(await ok(w.asAdmin.GET('/{org}/{app}/users/{user}/roles', { params: { path: { ...acmeApp, user: 'rita' } } }), 200))).toEqual(['reviewer']);
    expect(first((await ok(w.asAdmin.GET('/{org}/{app}/users/{user}/roles/{role}', { params: userRole('rita', 'reviewer') }), 200)).entities).name).toBe('reviewer');
  });

  it('takes a role away from either side, and answers 404 for a role the user does not have', async () => {
    await ok(w.asAdmin.DELETE('/{org}/{app}/users/{user}/roles/{role}', { params: userRole('sam', 'reviewer') }), 200);
    expectStatus(await w.asAdmin.GET('/{org}/{app}/users/{user}/roles/{role}', { params: userRole('sam', 'reviewer') }), 404);
    expectStatus(await w.asAdmin.DELETE('/{org}/{app}/roles/{role}/users/{user}', { params: roleUser('sam') }), 404);
    expectStatus(await w.asAdmin.POST('/{org}/{app}/roles/{role}/users/{user}', { params: roleUser('nobody') }), 404);
    expectStatus(await w.asAdmin.POST('/{org}/{app}/users/{user}/roles/{role}', { params: userRole('sam', 'banana') }), 404);
  });
});

describe('user permissions', () => {
  const sam = () => ({ path: { ...acmeApp, user: 'sam' } });

  it('adds, lists and removes permissions of a user (the docs example: post:/users)', async () => {
    expect((await ok(w.asAdmin.POST('/{org}/{app}/users/{user}/permissions', { params: sam(), body: { permission: 'post:/users' } }), 200)).data).toEqual(['post:/users']);
    expect((await ok(w.asAdmin.GET('/{org}/{app}/users/{user}/permissions', { params: sam() }), 200)).data).toEqual(['post:/users']);
    const removed = await ok(w.asAdmin.DELETE('/{org}/{app}/users/{user}/permissions', { params: { ...sam(), query: { permission: 'post:/users' } } }), 200);
    expect(removed.data).toEqual([]);
  });

  it('shows a signed-in user their own permissions at /users/me/permissions', async () => {
    await ok(w.asAdmin.PUT('/{org}/{app}/users/{user}/permissions', { params: sam(), body: { permission: 'get:/cats' } }), 200);
    const token = await signIn(w.http, w.acme, 'sam');
    const answer = await w.api(token).GET('/{org}/{app}/users/{user}/permissions', { params: { path: { ...acmeApp, user: 'me' } } });
    expectStatus(answer, 200);
    expect(answer.data?.data).toEqual(['get:/cats']);
  });
});

describe('who may change roles and permissions', () => {
  it('refuses an application user with 403 even with the default role, so no one grants themselves anything', async () => {
    const rita = w.api(await signIn(w.http, w.acme, 'rita'));
    expectStatus(await rita.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'mine' } }), 403);
    expectStatus(await rita.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: role('default') }, body: { permission: 'get:/**' } }), 403);
    expectStatus(await rita.POST('/{org}/{app}/users/{user}/roles/{role}', { params: { path: { ...acmeApp, user: 'me', role: 'admin' } } }), 403);
    expectStatus(await rita.POST('/{org}/{app}/users/{user}/permissions', { params: { path: { ...acmeApp, user: 'me' } }, body: { permission: 'get:/**' } }), 403);
    // Reading is a path permission like any other: the default role allows it.
    expectStatus(await rita.GET('/{org}/{app}/roles', { params: { path: acmeApp } }), 200);
  });

  it('refuses an anonymous caller with 401, even in the sandbox', async () => {
    const anonymous = w.api();
    expectStatus(await anonymous.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'mine' } }), 401);
    expectStatus(await anonymous.POST('/{org}/{app}/roles', { params: { path: { org: w.acme.name, app: 'sandbox' } }, body: { name: 'mine' } }), 401);
  });

  it('lets the organization client and the application client in, and keeps another organization out', async () => {
    const org = { client_id: w.acme.clientId, client_secret: w.acme.clientSecret };
    const app = { client_id: w.acme.app.clientId, client_secret: w.acme.app.clientSecret };
    expectStatus(await w.api().POST('/{org}/{app}/roles', { params: { path: acmeApp, query: org }, body: { name: 'by-org-client' } }), 200);
    expectStatus(await w.api().POST('/{org}/{app}/roles', { params: { path: acmeApp, query: app }, body: { name: 'by-app-client' } }), 200);
    const globex = w.api(w.globex.admin.token);
    expectStatus(await globex.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'intruder' } }), 403);
    expectStatus(await globex.GET('/{org}/{app}/roles', { params: { path: acmeApp } }), 403);
  });
});
