import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { systemClock } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { expectStatus, first } from './support.js';

let w: World;

beforeAll(async () => {
  w = await startWorld({ clock: systemClock });
  await createUser(w.http, w.acme, 'gina');
  await createUser(w.http, w.acme, 'hugo');
  await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'tester' } }), 200);
});
afterAll(() => w.server.close());

/** A group of the application, a member of it and one of its roles, as path parameters. */
const group = (name: string) => ({ path: { ...acmeApp, group: name } });
const member = (name: string, user: string) => ({ path: { ...acmeApp, group: name, user } });
const groupRole = (name: string, role: string) => ({ path: { ...acmeApp, group: name, role } });

describe('createGroup, listGroups, getGroup, updateGroup', () => {
  it("creates a group named by its path (lower case), with Usergrid's group entity", async () => {
    const created = first((await ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'Testers', title: 'The testers' } }), 200)).entities);
    expect(created).toMatchObject({ type: 'group', path: 'testers', title: 'The testers' });
    expect(created.metadata.collections).toEqual({ users: `/groups/${created.uuid}/users`, roles: `/groups/${created.uuid}/roles` });
    expect(first((await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group(created.uuid) }), 200)).entities).path).toBe('testers');
    expect(first((await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group('TESTERS') }), 200)).entities).uuid).toBe(created.uuid);
    expect((await ok(w.asAdmin.GET('/{org}/{app}/groups', { params: { path: acmeApp } }), 200)).entities.map((g) => g.path)).toEqual(['testers']);
  });

  it('refuses a taken path with 409, and answers 404 for an unknown group', async () => {
    expectStatus(await w.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'testers' } }), 409);
    // A group without `path` is outside the spec: untyped on purpose.
    expectStatus(await w.http.post(`/acme/app/groups`, { token: w.acme.admin.token, json: { title: 'no path' } }), 400);
    expectStatus(await w.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group('nobody') }), 404);
  });

  it("changes a group's title", async () => {
    const updated = await ok(w.asAdmin.PUT('/{org}/{app}/groups/{group}', { params: group('testers'), body: { title: 'Testers' } }), 200);
    expect(first(updated.entities).title).toBe('Testers');
  });
});

describe('group members, roles and permissions', () => {
  it('adds users (answering with the user) and lists them', async () => {
    expect(first((await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: member('testers', 'gina') }), 200)).entities).username).toBe('gina');
    await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: member('testers', 'hugo') }), 200);
    expect((await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}/users', { params: group('testers') }), 200)).entities.map((u) => u.username)).toEqual(['gina', 'hugo']);
  });

  it('gives the group roles (answering with the role) and lists them', async () => {
    expect(first((await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('testers', 'tester') }), 200)).entities).name).toBe('tester');
    expect((await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}/roles', { params: group('testers') }), 200)).entities.map((r) => r.name)).toEqual(['tester']);
  });

  it('keeps permissions of its own', async () => {
    const granted = await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/permissions', { params: group('testers'), body: { permission: 'get:/bugs/*' } }), 200);
    expect(granted.data).toEqual(['get:/bugs/*']);
    const put = await ok(w.asAdmin.PUT('/{org}/{app}/groups/{group}/permissions', { params: group('testers'), body: { permission: 'post:/bugs' } }), 200);
    expect(put.data).toEqual(['get:/bugs/*', 'post:/bugs']);
    const revoked = await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}/permissions', { params: { ...group('testers'), query: { permission: 'post:/bugs' } } }), 200);
    expect(revoked.data).toEqual(['get:/bugs/*']);
  });

  it('removes members and roles, and answers 404 for a link that is not there', async () => {
    await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}/users/{user}', { params: member('testers', 'hugo') }), 200);
    expectStatus(await w.asAdmin.DELETE('/{org}/{app}/groups/{group}/users/{user}', { params: member('testers', 'hugo') }), 404);
    await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('testers', 'tester') }), 200);
    expectStatus(await w.asAdmin.DELETE('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('testers', 'tester') }), 404);
    expectStatus(await w.asAdmin.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: groupRole('testers', 'banana') }), 404);
  });

  it('deletes a group with its links and permissions', async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'doomed' } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: member('doomed', 'gina') }), 200);
    expect(first((await ok(w.asAdmin.DELETE('/{org}/{app}/groups/{group}', { params: group('doomed') }), 200)).entities).path).toBe('doomed');
    expectStatus(await w.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group('doomed') }), 404);
    await ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'doomed' } }), 200);
    expect((await ok(w.asAdmin.GET('/{org}/{app}/groups/{group}/users', { params: group('doomed') }), 200)).entities).toEqual([]);
  });

  it('keeps application users from changing groups (403), and lets them read them through the default role', async () => {
    const gina = w.api(await signIn(w.http, w.acme, 'gina'));
    expectStatus(await gina.POST('/{org}/{app}/groups/{group}/users/{user}', { params: member('testers', 'me') }), 403);
    expectStatus(await gina.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'mine' } }), 403);
    expectStatus(await gina.GET('/{org}/{app}/groups/{group}', { params: group('testers') }), 200);
  });
});
