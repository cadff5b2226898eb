import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/server.js';
import { expectStatus, world, type World } from './support.js';

/**
 * Decisions are made from cached grants; every change through the API must still be honoured by
 * the very next request (reference §6.3: Usergrid's cache made changes late).
 */
let w: World;
const clock = new ManualClock();
let token: string;
let cats: string;

beforeAll(async () => {
  w = await world({ clock });
  cats = `${w.app}/cats`;
  await w.asAdmin('delete', `${w.app}/roles/default`);
  await w.user('nell');
  token = await w.signIn('nell');
  await w.asAdmin('post', `${w.app}/roles`, { name: 'cat-reader' });
});
afterAll(() => w.server.close());

/** Asks twice, so the second answer would come from the cache if nothing invalidated it. */
async function status(path = cats): Promise<number> {
  await w.http.get(path, { token });
  return (await w.http.get(path, { token })).status;
}

describe('changes take effect on the very next request', () => {
  it("granting and revoking a role's permission", async () => {
    await w.asAdmin('post', `${w.app}/roles/cat-reader/users/nell`);
    expect(await status()).toBe(403);
    await w.asAdmin('post', `${w.app}/roles/cat-reader/permissions`, { permission: 'get:/cats' });
    expect(await status()).toBe(200);
    await w.asAdmin('delete', `${w.app}/roles/cat-reader/permissions?permission=get:/cats`);
    expect(await status()).toBe(403);
  });

  it('giving and taking a role', async () => {
    await w.asAdmin('post', `${w.app}/roles/cat-reader/permissions`, { permission: 'get:/cats' });
    expect(await status()).toBe(200);
    await w.asAdmin('delete', `${w.app}/users/nell/roles/cat-reader`);
    expect(await status()).toBe(403);
    await w.asAdmin('post', `${w.app}/users/nell/roles/cat-reader`);
    expect(await status()).toBe(200);
  });

  it('deleting a role, and creating the default role again', async () => {
    await w.asAdmin('delete', `${w.app}/roles/cat-reader`);
    expect(await status()).toBe(403);
    await w.asAdmin('post', `${w.app}/roles`, { name: 'default' });
    expect(await status()).toBe(403);
    await w.asAdmin('post', `${w.app}/roles/default/permissions`, { permission: 'get:/**' });
    expect(await status()).toBe(200);
    await w.asAdmin('delete', `${w.app}/roles/default`);
    expect(await status()).toBe(403);
  });

  it("joining and leaving a group, and the group's roles", async () => {
    await w.asAdmin('post', `${w.app}/roles`, { name: 'cat-reader' });
    await w.asAdmin('post', `${w.app}/roles/cat-reader/permissions`, { permission: 'get:/cats' });
    await w.asAdmin('post', `${w.app}/groups`, { path: 'readers' });
    await w.asAdmin('post', `${w.app}/groups/readers/roles/cat-reader`);
    expect(await status()).toBe(403);
    await w.asAdmin('post', `${w.app}/groups/readers/users/nell`);
    expect(await status()).toBe(200);
    await w.asAdmin('delete', `${w.app}/groups/readers/roles/cat-reader`);
    expect(await status()).toBe(403);
    await w.asAdmin('post', `${w.app}/groups/readers/roles/cat-reader`);
    expect(await status()).toBe(200);
    await w.asAdmin('delete', `${w.app}/groups/readers/users/nell`);
    expect(await status()).toBe(403);
    await w.asAdmin('post', `${w.app}/groups/readers/users/nell`);
    expect(await status()).toBe(200);
    await w.asAdmin('delete', `${w.app}/groups/readers`);
    expect(await status()).toBe(403);
  });

  it("renaming a user moves ${user} with them", async () => {
    for (const name of ['nell', 'nellie']) await w.asAdmin('post', `${w.app}/diaries`, { name });
    await w.asAdmin('post', `${w.app}/users/nell/permissions`, { permission: 'get:/diaries/${user}' });
    expect(await status(`${w.app}/diaries/nell`)).toBe(200);
    await w.asAdmin('put', `${w.app}/users/nell`, { username: 'nellie' });
    expect(await status(`${w.app}/diaries/nell`)).toBe(403);
    expect(await status(`${w.app}/diaries/nellie`)).toBe(200);
  });

  it('deleting a user ends their access at once', async () => {
    await w.user('doomed');
    const doomed = await w.signIn('doomed');
    expectStatus(await w.http.get(`${w.app}/users/me`, { token: doomed }), 200);
    await w.asAdmin('delete', `${w.app}/users/doomed`);
    expectStatus(await w.http.get(`${w.app}/users/me`, { token: doomed }), 401);
  });
});

describe('the grant cache', () => {
  it('answers a signed-in user from memory: no query on roles, permissions or groups per request', async () => {
    await w.asAdmin('post', `${w.app}/users/nellie/permissions`, { permission: 'get:/cats' });
    await w.http.get(cats, { token });
    const statements: string[] = [];
    const listen = (query: { sql: string }) => statements.push(query.sql);
    w.server.deps.db.on('query', listen);
    for (let i = 0; i < 10; i++) expectStatus(await w.http.get(`${cats}?limit=1`, { token }), 200);
    w.server.deps.db.removeListener('query', listen);
    expect(statements.filter((sql) => /roles|permissions|groups|group_users|app_users/i.test(sql))).toEqual([]);
  });

  it("picks up a change it was not told of (another instance's) within its time to live", async () => {
    await w.http.get(`${w.app}/dogs`, { token });
    expect(await status(`${w.app}/dogs`)).toBe(403);
    const nell = await w.server.deps.db('app_users').where({ username: 'nellie' }).first();
    // What another instance would write, with no notice to this one.
    await w.server.deps.db('user_permissions').insert({ user_id: nell.id, permission: 'get:/dogs', created_at: clock.now() });
    expect(await status(`${w.app}/dogs`)).toBe(403);
    clock.advance(w.server.config.grantCacheTtlMs);
    expect(await status(`${w.app}/dogs`)).toBe(200);
  });
});
