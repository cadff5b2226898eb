import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, type Tessera } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { expectStatus } from './support.js';

/**
 * `GET /{org}/{app}/roles/{role}/groups`: the groups given a role, the links `listGroupRoles` shows
 * from the group's side. Path permissions are checked on the path requested, as Usergrid does: a
 * grant on `/groups/**` does not reach it, one on `/roles/**` does.
 */
let w: World;
/** Without the `default` role: una may read groups only, vic roles only. */
let una: Tessera;
let vic: Tessera;

beforeAll(async () => {
  w = await startWorld({ clock: new ManualClock() });
  await ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}', { params: { path: { ...acmeApp, role: 'default' } } }), 200);
  await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'tester' } }), 200);
  for (const path of ['alpha', 'beta', 'gamma']) await ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path } }), 200);
  for (const group of ['gamma', 'alpha']) await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: { path: { ...acmeApp, group, role: 'tester' } } }), 200);
  for (const [user, permission] of [['una', 'get:/groups/**'], ['vic', 'get:/roles/**']] as const) {
    await createUser(w.http, w.acme, user);
    await ok(w.asAdmin.POST('/{org}/{app}/users/{user}/permissions', { params: { path: { ...acmeApp, user } }, body: { permission } }), 200);
  }
  una = w.api(await signIn(w.http, w.acme, 'una'));
  vic = w.api(await signIn(w.http, w.acme, 'vic'));
});
afterAll(() => w.server.close());

const groupsOf = (api: Tessera, role: string, query: { limit?: number; cursor?: string } = {}) =>
  api.GET('/{org}/{app}/roles/{role}/groups', { params: { path: { ...acmeApp, role }, query } });

describe('listRoleGroups', () => {
  it('lists the groups given the role, in the order they were created, a page at a time', async () => {
    const all = await ok(groupsOf(w.asAdmin, 'Tester'), 200);
    expect(all.entities.map((group) => group.path)).toEqual(['alpha', 'gamma']);
    expect(all.path).toBe('/roles/tester/groups');
    const firstPage = await ok(groupsOf(w.asAdmin, 'tester', { limit: 1 }), 200);
    expect(firstPage.entities.map((group) => group.path)).toEqual(['alpha']);
    const secondPage = await ok(groupsOf(w.asAdmin, 'tester', { limit: 1, cursor: firstPage.cursor! }), 200);
    expect(secondPage.entities.map((group) => group.path)).toEqual(['gamma']);
  });

  it('shows a link taken away from either side at once', async () => {
    await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}/roles/{role}', { params: { path: { ...acmeApp, group: 'gamma', role: 'tester' } } }), 200);
    expect((await ok(groupsOf(w.asAdmin, 'tester'), 200)).entities.map((group) => group.path)).toEqual(['alpha']);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/groups/{group}', { params: { path: { ...acmeApp, role: 'tester', group: 'gamma' } } }), 200);
  });

  it('answers 404 for an unknown role and 400 for a limit out of range, in the Usergrid shape', async () => {
    const unknown = await groupsOf(w.asAdmin, 'no-such-role');
    expectStatus(unknown, 404);
    expect(unknown.error).toMatchObject({ error: expect.any(String), timestamp: expect.any(Number) });
    expectStatus(await groupsOf(w.asAdmin, 'tester', { limit: 0 }), 400);
  });

  it("needs a path permission on this path: one on /roles/** reaches it, one on /groups/** does not (though it reads a group's roles)", async () => {
    expectStatus(await groupsOf(vic, 'tester'), 200);
    expectStatus(await groupsOf(una, 'tester'), 403);
    expectStatus(await una.GET('/{org}/{app}/groups/{group}/roles', { params: { path: { ...acmeApp, group: 'alpha' } } }), 200);
    expectStatus(await vic.GET('/{org}/{app}/groups/{group}/roles', { params: { path: { ...acmeApp, group: 'alpha' } } }), 403);
  });

  it('is 401 for a guest without a guest permission, and 403 for an admin of another organization', async () => {
    expectStatus(await groupsOf(w.api(), 'tester'), 401);
    expectStatus(await groupsOf(w.api(w.globex.admin.token), 'tester'), 403);
  });
});
