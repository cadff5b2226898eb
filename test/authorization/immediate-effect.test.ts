import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, type Tessera } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { expectStatus } from './support.js';

/**
 * Decisions are made from cached grants; every change through the API must still be honoured by
 * the very next request (reference §6.3: Usergrid's cache made changes late).
 */
let w: World;
const clock = new ManualClock();
/** nell, signed in. */
let nell: Tessera;

beforeAll(async () => {
  w = await startWorld({ clock });
  await ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}', { params: { path: { ...acmeApp, role: 'default' } } }), 200);
  await createUser(w.http, w.acme, 'nell');
  nell = w.api(await signIn(w.http, w.acme, 'nell'));
  await createRole('cat-reader');
});
afterAll(() => w.server.close());

/** nell reading a collection, or one of its entities. */
const read = (collection: string, entity?: string) =>
  entity === undefined
    ? nell.GET('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection } } })
    : nell.GET('/{org}/{app}/{collection}/{entity}', { params: { path: { ...acmeApp, collection, entity } } });

/** Asks twice, so the second answer would come from the cache if nothing invalidated it. */
async function status(collection = 'cats', entity?: string): Promise<number> {
  await read(collection, entity);
  return (await read(collection, entity)).response.status;
}

// The admin's changes, each of which must succeed.
const role = (name: string) => ({ path: { ...acmeApp, role: name } });
const createRole = (name: string) => ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name } }), 200);
const deleteRole = (name: string) => ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}', { params: role(name) }), 200);
const grant = (name: string, permission: string) => ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: role(name), body: { permission } }), 200);
const userRole = (role: string) => ({ path: { ...acmeApp, user: 'nell', role } });
const groupRole = (role: string) => ({ path: { ...acmeApp, group: 'readers', role } });
const member = () => ({ path: { ...acmeApp, group: 'readers', user: 'nell' } });

describe('changes take effect on the very next request', () => {
  it("granting and revoking a role's permission", async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/users/{user}', { params: { path: { ...acmeApp, role: 'cat-reader', user: 'nell' } } }), 200);
    expect(await status()).toBe(403);
    await grant('cat-reader', 'get:/cats');
    expect(await status()).toBe(200);
    await ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}/permissions', { params: { ...role('cat-reader'), query: { permission: 'get:/cats' } } }), 200);
    expect(await status()).toBe(403);
  });

  it('giving and taking a role', async () => {
    await grant('cat-reader', 'get:/cats');
    expect(await status()).toBe(200);
    await ok(w.asAdmin.DELETE('/{org}/{app}/users/{user}/roles/{role}', { params: userRole('cat-reader') }), 200);
    expect(await status()).toBe(403);
    await ok(w.asAdmin.POST('/{org}/{app}/users/{user}/roles/{role}', { params: userRole('cat-reader') }), 200);
    expect(await status()).toBe(200);
  });

  it('deleting a role, and creating the default role again', async () => {
    await deleteRole('cat-reader');
    expect(await status()).toBe(403);
    await createRole('default');
    expect(await status()).toBe(403);
    await grant('default', 'get:/**');
    expect(await status()).toBe(200);
    await deleteRole('default');
    expect(await status()).toBe(403);
  });

  it("joining and leaving a group, and the group's roles", async () => {
    await createRole('cat-reader');
    await grant('cat-reader', 'get:/cats');
    await ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'readers' } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('cat-reader') }), 200);
    expect(await status()).toBe(403);
    await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: member() }), 200);
    expect(await status()).toBe(200);
    await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('cat-reader') }), 200);
    expect(await status()).toBe(403);
    await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('cat-reader') }), 200);
    expect(await status()).toBe(200);
    await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}/users/{user}', { params: member() }), 200);
    expect(await status()).toBe(403);
    await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: member() }), 200);
    expect(await status()).toBe(200);
    await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}', { params: { path: { ...acmeApp, group: 'readers' } } }), 200);
    expect(await status()).toBe(403);
  });

  it('keeps ${user} on the user through a rename: it is their uuid, never a name someone else could take', async () => {
    const nellUuid = (await w.server.deps.db('app_users').where({ username: 'nell' }).first()).uuid as string;
    for (const name of ['nell', 'nellie']) {
      await ok(w.asAdmin.POST('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'diaries' } }, body: { name } }), 200);
    }
    await ok(w.asAdmin.POST('/{org}/{app}/users/{user}/permissions', { params: { path: { ...acmeApp, user: 'nell' } }, body: { permission: 'get:/diaries/${user}' } }), 200);
    // Allowed, and then not found (no diary has that uuid): 404, not 403.
    expect(await status('diaries', nellUuid)).toBe(404);
    expect(await status('diaries', 'nell')).toBe(403);
    await ok(w.asAdmin.PUT('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: 'nell' } }, body: { username: 'nellie' } }), 200);
    expect(await status('diaries', nellUuid)).toBe(404);
    expect(await status('diaries', 'nellie')).toBe(403);
  });

  it('deleting a user ends their access at once', async () => {
    await createUser(w.http, w.acme, 'doomed');
    const doomed = w.api(await signIn(w.http, w.acme, 'doomed'));
    const me = { params: { path: { ...acmeApp, user: 'me' } } };
    expectStatus(await doomed.GET('/{org}/{app}/users/{user}', me), 200);
    await ok(w.asAdmin.DELETE('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: 'doomed' } } }), 200);
    expectStatus(await doomed.GET('/{org}/{app}/users/{user}', me), 401);
  });
});

describe('the grant cache', () => {
  it('answers a signed-in user from memory: no query on roles, permissions or groups per request', async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/users/{user}/permissions', { params: { path: { ...acmeApp, user: 'nellie' } }, body: { permission: 'get:/cats' } }), 200);
    await read('cats');
    const statements: string[] = [];
    const listen = (query: { sql: string }) => statements.push(query.sql);
    w.server.deps.db.on('query', listen);
    for (let i = 0; i < 10; i++) {
      expectStatus(await nell.GET('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'cats' }, query: { limit: 1 } } }), 200);
    }
    w.server.deps.db.removeListener('query', listen);
    expect(statements.filter((sql) => /roles|permissions|groups|group_users|app_users/i.test(sql))).toEqual([]);
  });

  it("picks up a change it was not told of (another instance's) within its time to live", async () => {
    await read('dogs');
    expect(await status('dogs')).toBe(403);
    const nellie = await w.server.deps.db('app_users').where({ username: 'nellie' }).first();
    // What another instance would write, with no notice to this one.
    await w.server.deps.db('user_permissions').insert({ user_id: nellie.id, permission: 'get:/dogs', created_at: clock.now() });
    expect(await status('dogs')).toBe(403);
    clock.advance(w.server.config.grantCacheTtlMs);
    expect(await status('dogs')).toBe(200);
  });
});
