import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, tessera, type Tessera } from '../helpers/api.js';
import { acmeApp, createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { ManualClock, startTwoInstances, systemClock, type TestServer, type TwoInstances } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { expectStatus, first } from './support.js';

/**
 * `DELETE /{org}/{app}/roles/{role}/groups/{group}`: Usergrid's other spelling of
 * `DELETE /groups/{group}/roles/{role}`. Members lose the role's permissions on the very next
 * request, on this instance and (PostgreSQL) on every other within the second.
 */

/** The admin's set-up, on any server: a role allowed to read cats, given to a group `readers` that `member` belongs to. */
async function readersOfCats(admin: Tessera, member: string): Promise<void> {
  await ok(admin.DELETE('/{org}/{app}/roles/{role}', { params: { path: { ...acmeApp, role: 'default' } } }), 200);
  await ok(admin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'cat-reader' } }), 200);
  await ok(admin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'cat-reader' } }, body: { permission: 'get:/cats' } }), 200);
  await ok(admin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'readers' } }), 200);
  await ok(admin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: { path: { ...acmeApp, group: 'readers', user: member } } }), 200);
}

const roleGroup = (role: string, group: string) => ({ params: { path: { ...acmeApp, role, group } } });
const readCats = (api: Tessera) => api.GET('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'cats' } } });

describe('removeRoleGroup', () => {
  let w: World;
  let ivy: Tessera;
  beforeAll(async () => {
    w = await startWorld({ clock: new ManualClock() });
    await createUser(w.http, w.acme, 'ivy');
    await readersOfCats(w.asAdmin, 'ivy');
    ivy = w.api(await signIn(w.http, w.acme, 'ivy'));
  });
  afterAll(() => w.server.close());

  const rolesOfReaders = async () =>
    (await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}/roles', { params: { path: { ...acmeApp, group: 'readers' } } }), 200)).entities.map((role) => role.name);

  it("takes a role given from the group's side, answering with the group; members lose it on the very next request", async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: { path: { ...acmeApp, group: 'readers', role: 'cat-reader' } } }), 200);
    await readCats(ivy);
    expectStatus(await readCats(ivy), 200);
    const answer = await ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('cat-reader', 'READERS')), 200);
    expect(answer.action).toBe('delete');
    expect(first(answer.entities)).toMatchObject({ type: 'group', path: 'readers' });
    expectStatus(await readCats(ivy), 403);
    expect(await rolesOfReaders()).toEqual([]);
  });

  it('answers 404 when the group does not have the role, or either is unknown', async () => {
    expectStatus(await w.asAdmin.DELETE('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('cat-reader', 'readers')), 404);
    expectStatus(await w.asAdmin.DELETE('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('no-such-role', 'readers')), 404);
    expectStatus(await w.asAdmin.DELETE('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('cat-reader', 'no-such-group')), 404);
  });

  it('is for application admins only: a member whose roles allow every path is refused 403, and the link stays', async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('cat-reader', 'readers')), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'cat-reader' } }, body: { permission: '*:/**' } }), 200);
    expectStatus(await ivy.DELETE('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('cat-reader', 'readers')), 403);
    expectStatus(await w.api().DELETE('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('cat-reader', 'readers')), 401);
    expectStatus(await w.api(w.globex.admin.token).DELETE('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('cat-reader', 'readers')), 403);
    expect(await rolesOfReaders()).toEqual(['cat-reader']);
  });
});

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? '');

describe.runIf(onPostgres)('removeRoleGroup across instances', () => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;
  let acme: OrganizationFixture;

  beforeAll(async () => {
    instances = await startTwoInstances({ clock: systemClock });
    ({ a, b } = instances);
    acme = await createOrganization(a.url, 'acme');
  });
  afterAll(() => instances?.close());

  it("is refused on another instance within the second, though that instance had the member's grants cached", async () => {
    const admin = tessera(a.url, acme.admin.token);
    await createUser(a.url, acme, 'ivy');
    await readersOfCats(admin, 'ivy');
    await ok(admin.POST('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('cat-reader', 'readers')), 200);
    const ivyOnB = tessera(b.url, await signIn(a.url, acme, 'ivy'));
    expectStatus(await readCats(ivyOnB), 200);
    await ok(admin.DELETE('/{org}/{app}/roles/{role}/groups/{group}', roleGroup('cat-reader', 'readers')), 200);
    const deadline = Date.now() + 1000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) status = (await readCats(ivyOnB)).response.status;
    expect(status).toBe(403);
  });
});
