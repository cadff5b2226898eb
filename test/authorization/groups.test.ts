import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, first, ok, world, type World } from './support.js';

let w: World;

beforeAll(async () => {
  w = await world();
  await w.user('gina');
  await w.user('hugo');
  await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: w.app }, body: { name: 'tester' } }));
});
afterAll(() => w.server.close());

/** A group of the application, a member of it and one of its roles, as path parameters. */
const group = (name: string) => ({ path: { ...w.app, group: name } });
const member = (name: string, user: string) => ({ path: { ...w.app, group: name, user } });
const groupRole = (name: string, role: string) => ({ path: { ...w.app, group: name, role } });

describe('createGroup, listGroups, getGroup, updateGroup', () => {
  it("creates a group named by its path (lower case), with Usergrid's group entity", async () => {
    const created = first((await ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: w.app }, body: { path: 'Testers', title: 'The testers' } }))).entities);
    expect(created).toMatchObject({ type: 'group', path: 'testers', title: 'The testers' });
    expect(created.metadata.collections).toEqual({ users: `/groups/${created.uuid}/users`, roles: `/groups/${created.uuid}/roles` });
    expect(first((await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group(created.uuid) }))).entities).path).toBe('testers');
    expect(first((await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group('TESTERS') }))).entities).uuid).toBe(created.uuid);
    expect((await ok(w.asAdmin.GET('/{org}/{app}/groups', { params: { path: w.app } }))).entities.map((g) => g.path)).toEqual(['testers']);
  });

  it('refuses a taken path with 409, and answers 404 for an unknown group', async () => {
    expectStatus(await w.asAdmin.POST('/{org}/{app}/groups', { params: { path: w.app }, body: { path: 'testers' } }), 409);
    // A group without `path` is outside the spec: untyped on purpose.
    expectStatus(await w.http.post(`${w.appPath}/groups`, { token: w.adminToken, json: { title: 'no path' } }), 400);
    expectStatus(await w.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group('nobody') }), 404);
  });

  it("changes a group's title", async () => {
    const updated = await ok(w.asAdmin.PUT('/{org}/{app}/groups/{group}', { params: group('testers'), body: { title: 'Testers' } }));
    expect(first(updated.entities).title).toBe('Testers');
  });
});

describe('group members, roles and permissions', () => {
  it('adds users (answering with the user) and lists them', async () => {
    expect(first((await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: member('testers', 'gina') }))).entities).username).toBe('gina');
    await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: member('testers', 'hugo') }));
    expect((await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}/users', { params: group('testers') }))).entities.map((u) => u.username)).toEqual(['gina', 'hugo']);
  });

  it('gives the group roles (answering with the role) and lists them', async () => {
    expect(first((await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('testers', 'tester') }))).entities).name).toBe('tester');
    expect((await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}/roles', { params: group('testers') }))).entities.map((r) => r.name)).toEqual(['tester']);
  });

  it('keeps permissions of its own', async () => {
    const granted = await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/permissions', { params: group('testers'), body: { permission: 'get:/bugs/*' } }));
    expect(granted.data).toEqual(['get:/bugs/*']);
    const put = await ok(w.asAdmin.PUT('/{org}/{app}/groups/{group}/permissions', { params: group('testers'), body: { permission: 'post:/bugs' } }));
    expect(put.data).toEqual(['get:/bugs/*', 'post:/bugs']);
    const revoked = await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}/permissions', { params: { ...group('testers'), query: { permission: 'post:/bugs' } } }));
    expect(revoked.data).toEqual(['get:/bugs/*']);
  });

  it('removes members and roles, and answers 404 for a link that is not there', async () => {
    await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}/users/{user}', { params: member('testers', 'hugo') }));
    expectStatus(await w.asAdmin.DELETE('/{org}/{app}/groups/{group}/users/{user}', { params: member('testers', 'hugo') }), 404);
    await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('testers', 'tester') }));
    expectStatus(await w.asAdmin.DELETE('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('testers', 'tester') }), 404);
    expectStatus(await w.asAdmin.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('testers', 'banana') }), 404);
  });

  it('deletes a group with its links and permissions', async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: w.app }, body: { path: 'doomed' } }));
    await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: member('doomed', 'gina') }));
    expect(first((await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}', { params: group('doomed') }))).entities).path).toBe('doomed');
    expectStatus(await w.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group('doomed') }), 404);
    await ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: w.app }, body: { path: 'doomed' } }));
    expect((await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}/users', { params: group('doomed') }))).entities).toEqual([]);
  });

  it('keeps application users from changing groups (403), and lets them read them through the default role', async () => {
    const gina = w.api(await w.signIn('gina'));
    expectStatus(await gina.POST('/{org}/{app}/groups/{group}/users/{user}', { params: member('testers', 'me') }), 403);
    expectStatus(await gina.POST('/{org}/{app}/groups', { params: { path: w.app }, body: { path: 'mine' } }), 403);
    expectStatus(await gina.GET('/{org}/{app}/groups/{group}', { params: group('testers') }), 200);
  });
});
