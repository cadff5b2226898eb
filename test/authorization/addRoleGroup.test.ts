import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, type Tessera } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { expectStatus, first } from './support.js';

/**
 * `POST /{org}/{app}/roles/{role}/groups/{group}`: Usergrid's other spelling of
 * `POST /groups/{group}/roles/{role}`; one link, whichever side names it.
 */
let w: World;
/** Ivy, a member of `readers`, signed in; without the `default` role she may do nothing but what her groups' roles allow. */
let ivy: Tessera;

beforeAll(async () => {
  w = await startWorld({ clock: new ManualClock() });
  await ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}', { params: { path: { ...acmeApp, role: 'default' } } }), 200);
  await createUser(w.http, w.acme, 'ivy');
  for (const name of ['cat-reader', 'role-reader']) await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name } }), 200);
  await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'cat-reader' } }, body: { permission: 'get:/cats' } }), 200);
  await ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'readers' } }), 200);
  await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: { path: { ...acmeApp, group: 'readers', user: 'ivy' } } }), 200);
  ivy = w.api(await signIn(w.http, w.acme, 'ivy'));
});
afterAll(() => w.server.close());

const roleGroup = (role: string, group: string, app = acmeApp) => ({ params: { path: { ...app, role, group } } });
const rolesOf = async (group: string) =>
  (await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}/roles', { params: { path: { ...acmeApp, group } } }), 200)).entities.map((role) => role.name);
/** Ivy reading cats, twice: the second answer would come from the grant cache if nothing outdated it. */
async function ivyReadsCats(): Promise<number> {
  await ivy.GET('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'cats' } } });
  return (await ivy.GET('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'cats' } } })).response.status;
}

describe('addRoleGroup', () => {
  it("gives the group the role, answering with the group, and the group's side shows the same link", async () => {
    const answer = await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('Cat-Reader', 'readers')), 200);
    expect(answer.action).toBe('post');
    expect(answer.path).toBe('/roles/cat-reader/groups/readers');
    expect(first(answer.entities)).toMatchObject({ type: 'group', path: 'readers' });
    expect(await rolesOf('readers')).toEqual(['cat-reader']);
  });

  it("gives every member the role's permissions on the very next request", async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'dog-reader' } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'dog-reader' } }, body: { permission: 'get:/dogs' } }), 200);
    const dogs = () => ivy.GET('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'dogs' } } });
    await dogs();
    expectStatus(await dogs(), 403);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('dog-reader', 'readers')), 200);
    expectStatus(await dogs(), 200);
    expect(await ivyReadsCats()).toBe(200);
  });

  it('changes nothing when given twice, whichever side gave it first', async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: { path: { ...acmeApp, group: 'readers', role: 'role-reader' } } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('role-reader', 'readers')), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('role-reader', 'readers')), 200);
    expect(await rolesOf('readers')).toEqual(['cat-reader', 'role-reader', 'dog-reader']);
  });

  it('answers 404 in the Usergrid shape for an unknown role or group, and links nothing', async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'empty' } }), 200);
    for (const [role, group] of [['no-such-role', 'empty'], ['cat-reader', 'no-such-group']] as const) {
      const answer = await w.asAdmin.POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup(role, group));
      expectStatus(answer, 404);
      expect(answer.error).toMatchObject({ error: expect.any(String), error_description: expect.any(String), timestamp: expect.any(Number) });
    }
    expect(await rolesOf('empty')).toEqual([]);
  });

  it("finds neither end in another application: globex's admin is refused, and acme's admin cannot link across applications", async () => {
    const globex = w.api(w.globex.admin.token);
    expectStatus(await globex.POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('cat-reader', 'empty')), 403);
    await ok(w.api(w.globex.admin.token).POST('/{org}/{app}/roles', { params: { path: { org: 'globex', app: 'app' } }, body: { name: 'globex-only' } }), 200);
    expectStatus(await w.asAdmin.POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('globex-only', 'empty')), 404);
    expect(await rolesOf('empty')).toEqual([]);
  });

  it('is for application admins only: a member whose roles allow every path on /roles and /groups is refused 403, a guest 401', async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'everything' } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'everything' } }, body: { permission: '*:/**' } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'guest' } }, body: { permission: '*:/**' } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/users/{user}/roles/{role}', { params: { path: { ...acmeApp, user: 'ivy', role: 'everything' } } }), 200);
    expectStatus(await ivy.POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('everything', 'empty')), 403);
    expectStatus(await w.api().POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('everything', 'empty')), 401);
    expect(await rolesOf('empty')).toEqual([]);
  });
});
