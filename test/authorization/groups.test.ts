import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, world, type World } from './support.js';

let w: World;
let groups: string;

beforeAll(async () => {
  w = await world();
  groups = `${w.app}/groups`;
  await w.user('gina');
  await w.user('hugo');
  await w.asAdmin('post', `${w.app}/roles`, { name: 'tester' });
});
afterAll(() => w.server.close());

describe('createGroup, listGroups, getGroup, updateGroup', () => {
  it("creates a group named by its path (lower case), with Usergrid's group entity", async () => {
    const [group] = (await w.asAdmin('post', groups, { path: 'Testers', title: 'The testers' })).entities;
    expect(group).toMatchObject({ type: 'group', path: 'testers', title: 'The testers' });
    expect(group.metadata.collections).toEqual({ users: `/groups/${group.uuid}/users`, roles: `/groups/${group.uuid}/roles` });
    expect((await w.asAdmin('get', `${groups}/${group.uuid}`)).entities[0].path).toBe('testers');
    expect((await w.asAdmin('get', `${groups}/TESTERS`)).entities[0].uuid).toBe(group.uuid);
    expect((await w.asAdmin('get', groups)).entities.map((g: { path: string }) => g.path)).toEqual(['testers']);
  });

  it('refuses a taken path with 409, and answers 404 for an unknown group', async () => {
    expectStatus(await w.http.post(groups, { token: w.admin, json: { path: 'testers' } }), 409);
    expectStatus(await w.http.post(groups, { token: w.admin, json: { title: 'no path' } }), 400);
    expectStatus(await w.http.get(`${groups}/nobody`, { token: w.admin }), 404);
  });

  it("changes a group's title", async () => {
    expect((await w.asAdmin('put', `${groups}/testers`, { title: 'Testers' })).entities[0].title).toBe('Testers');
  });
});

describe('group members, roles and permissions', () => {
  it('adds users (answering with the user) and lists them', async () => {
    expect((await w.asAdmin('post', `${groups}/testers/users/gina`)).entities[0].username).toBe('gina');
    await w.asAdmin('post', `${groups}/testers/users/hugo`);
    expect((await w.asAdmin('get', `${groups}/testers/users`)).entities.map((u: { username: string }) => u.username)).toEqual(['gina', 'hugo']);
  });

  it('gives the group roles (answering with the role) and lists them', async () => {
    expect((await w.asAdmin('post', `${groups}/testers/roles/tester`)).entities[0].name).toBe('tester');
    expect((await w.asAdmin('get', `${groups}/testers/roles`)).entities.map((r: { name: string }) => r.name)).toEqual(['tester']);
  });

  it('keeps permissions of its own', async () => {
    expect((await w.asAdmin('post', `${groups}/testers/permissions`, { permission: 'get:/bugs/*' })).data).toEqual(['get:/bugs/*']);
    expect((await w.asAdmin('put', `${groups}/testers/permissions`, { permission: 'post:/bugs' })).data).toEqual(['get:/bugs/*', 'post:/bugs']);
    expect((await w.asAdmin('delete', `${groups}/testers/permissions?permission=post:/bugs`)).data).toEqual(['get:/bugs/*']);
  });

  it('removes members and roles, and answers 404 for a link that is not there', async () => {
    await w.asAdmin('delete', `${groups}/testers/users/hugo`);
    expectStatus(await w.http.delete(`${groups}/testers/users/hugo`, { token: w.admin }), 404);
    await w.asAdmin('delete', `${groups}/testers/roles/tester`);
    expectStatus(await w.http.delete(`${groups}/testers/roles/tester`, { token: w.admin }), 404);
    expectStatus(await w.http.post(`${groups}/testers/roles/banana`, { token: w.admin }), 404);
  });

  it('deletes a group with its links and permissions', async () => {
    await w.asAdmin('post', groups, { path: 'doomed' });
    await w.asAdmin('post', `${groups}/doomed/users/gina`);
    expect((await w.asAdmin('delete', `${groups}/doomed`)).entities[0].path).toBe('doomed');
    expectStatus(await w.http.get(`${groups}/doomed`, { token: w.admin }), 404);
    await w.asAdmin('post', groups, { path: 'doomed' });
    expect((await w.asAdmin('get', `${groups}/doomed/users`)).entities).toEqual([]);
  });

  it('keeps application users from changing groups (403), and lets them read them through the default role', async () => {
    const token = await w.signIn('gina');
    expectStatus(await w.http.post(`${groups}/testers/users/me`, { token }), 403);
    expectStatus(await w.http.post(groups, { token, json: { path: 'mine' } }), 403);
    expectStatus(await w.http.get(`${groups}/testers`, { token }), 200);
  });
});
