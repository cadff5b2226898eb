import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileGrants, permits } from '../../src/auth/permissions.js';
import { expectStatus, passwordOf, world, type World } from './support.js';

/**
 * The permission cases of reference/usergrid-auth.md §8 (#27–#32; #33–#34 are about queues,
 * assets and /system, which Tessera does not have), and the cases it suggests adding. Where
 * Usergrid answers 401 to a signed-in user without the right, Tessera answers 403 (README).
 */
let w: World;
let counter = 0;

beforeAll(async () => {
  w = await world();
});
afterAll(() => w.server.close());

/** A fresh application of the organization (so deleting its `default` role touches no other case), with helpers. */
async function application() {
  const name = `case${++counter}`;
  await w.asAdmin('post', `/management/orgs/${w.org.name}/apps`, { name });
  const base = `/${w.org.name}/${name}`;
  const signIn = async (username: string) =>
    (await w.http.post(`${base}/token`, { json: { grant_type: 'password', username, password: passwordOf(username) } })).body.access_token as string;
  const user = async (username: string) => {
    await w.asAdmin('post', `${base}/users`, { username, password: passwordOf(username) });
    return signIn(username);
  };
  return { base, user };
}

describe('§8 #27: a role given directly and through a group', () => {
  it('lets both users post and read reviews, and neither delete one (403; Usergrid 401)', async () => {
    const { base, user } = await application();
    await w.asAdmin('delete', `${base}/roles/default`);
    await w.asAdmin('post', `${base}/roles`, { name: 'reviewer' });
    await w.asAdmin('post', `${base}/roles/reviewer/permissions`, { permission: 'get,put,post:/reviews/**' });
    const r1 = await user('r1');
    const r2 = await user('r2');
    await w.asAdmin('post', `${base}/roles/reviewer/users/r1`);
    await w.asAdmin('post', `${base}/groups`, { path: 'reviewergroup' });
    await w.asAdmin('post', `${base}/groups/reviewergroup/roles/reviewer`);
    await w.asAdmin('post', `${base}/groups/reviewergroup/users/r2`);
    for (const [token, name] of [[r1, 'review-by-r1'], [r2, 'review-by-r2']] as const) {
      expectStatus(await w.http.post(`${base}/reviews`, { token, json: { name, rating: 5 } }), 200);
      expectStatus(await w.http.get(`${base}/reviews`, { token }), 200);
      const denied = await w.http.delete(`${base}/reviews/${name}`, { token });
      expectStatus(denied, 403);
      expect(denied.body.error).toBe('forbidden');
    }
  });
});

describe('§8 #28: wildcards in the middle of a path and /users/me/**', () => {
  const reviewer = ['get,put,post:/reviews/**', 'get,put,post:/users/me/**', 'get,put,post:/books/*/review/*'];

  it('allows POST /reviews and GET /users/me, and refuses POST /books (403; Usergrid 401)', async () => {
    const { base, user } = await application();
    await w.asAdmin('delete', `${base}/roles/default`);
    await w.asAdmin('post', `${base}/roles`, { name: 'reviewer' });
    for (const permission of reviewer) await w.asAdmin('post', `${base}/roles/reviewer/permissions`, { permission });
    const token = await user('critic');
    await w.asAdmin('post', `${base}/users/critic/roles/reviewer`);
    expectStatus(await w.http.post(`${base}/reviews`, { token, json: { name: 'r1' } }), 200);
    expectStatus(await w.http.post(`${base}/books`, { token, json: { name: 'b1' } }), 403);
    expectStatus(await w.http.get(`${base}/users/me`, { token }), 200);
  });

  it('matches the connection paths of the case, which Tessera has no routes for, as Usergrid does', () => {
    const grants = compileGrants(reviewer, { username: 'critic', uuid: '00000000-0000-4000-8000-0000000c0de0' });
    expect(permits(grants, 'post', '/users/me/wrote/review/r1')).toBe(true);
    expect(permits(grants, 'post', '/books/b1/review/r1')).toBe(true);
    expect(permits(grants, 'get', '/users/me/wrote')).toBe(true);
    expect(permits(grants, 'post', '/books')).toBe(false);
  });
});

describe('§8 #29: a role on a group, with a trailing /*', () => {
  it('lets a member post to /cats and read /cats/fluffy, and refuses changing or deleting it', async () => {
    const { base, user } = await application();
    await w.asAdmin('delete', `${base}/roles/default`);
    await w.asAdmin('post', `${base}/roles`, { name: 'tester' });
    await w.asAdmin('post', `${base}/roles/tester/permissions`, { permission: 'get,post:/cats/*' });
    await w.asAdmin('post', `${base}/groups`, { path: 'testgroup' });
    await w.asAdmin('post', `${base}/groups/testgroup/roles/tester`);
    const token = await user('member');
    await w.asAdmin('post', `${base}/groups/testgroup/users/member`);
    expectStatus(await w.http.post(`${base}/cats`, { token, json: { name: 'fluffy' } }), 200);
    expectStatus(await w.http.get(`${base}/cats/fluffy`, { token }), 200);
    expectStatus(await w.http.put(`${base}/cats/fluffy`, { token, json: { color: 'black' } }), 403);
    expectStatus(await w.http.delete(`${base}/cats/fluffy`, { token }), 403);
  });
});

describe('§8 #30: GET /users/me is always allowed', () => {
  it('lets a user without any role read themselves, and nothing else', async () => {
    const { base, user } = await application();
    await w.asAdmin('delete', `${base}/roles/default`);
    const token = await user('loner');
    expectStatus(await w.http.post(`${base}/cats`, { token, json: { name: 'x' } }), 403);
    const me = await w.http.get(`${base}/users/me`, { token });
    expectStatus(me, 200);
    expect(me.body.entities[0].username).toBe('loner');
    expectStatus(await w.http.delete(`${base}/users/me`, { token }), 403);
  });
});

describe('§8 #31: permission is checked before existence', () => {
  it('answers an anonymous caller 401 for a role, then 404 for a missing one once guests may read', async () => {
    const { base } = await application();
    const anonymous = await w.http.get(`${base}/roles/guest`);
    expectStatus(anonymous, 401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    await w.asAdmin('post', `${base}/roles/guest/permissions`, { permission: 'get:/**' });
    expectStatus(await w.http.get(`${base}/roles/banana`), 404);
    expectStatus(await w.http.get(`${base}/roles/guest`), 200);
  });
});

describe('§8 #32: the username me is reserved', () => {
  it('refuses creating or renaming a user to me with 400', async () => {
    const { base, user } = await application();
    expectStatus(await w.http.post(`${base}/users`, { token: w.admin, json: { username: 'me', password: 'long-password' } }), 400);
    await user('ursula');
    expectStatus(await w.http.put(`${base}/users/ursula`, { token: w.admin, json: { username: 'me' } }), 400);
  });
});

describe('the cases reference §8 suggests adding', () => {
  it('lets anonymous callers sign up through the default guest role, but not list users', async () => {
    const { base } = await application();
    expectStatus(await w.http.post(`${base}/users`, { json: { username: 'newcomer', password: passwordOf('newcomer') } }), 200);
    const list = await w.http.get(`${base}/users`);
    expectStatus(list, 401);
    expect(list.body.error).toBe('unauthorized');
  });

  it('opens the sandbox to anonymous callers entirely', async () => {
    const sandbox = `/${w.org.name}/sandbox`;
    expectStatus(await w.http.post(`${sandbox}/notes`, { json: { name: 'hello', text: 'no token needed' } }), 200);
    expectStatus(await w.http.put(`${sandbox}/notes/hello`, { json: { text: 'changed' } }), 200);
    expectStatus(await w.http.get(`${sandbox}/notes/hello`), 200);
    expectStatus(await w.http.get(`${sandbox}/users`), 200);
    expectStatus(await w.http.delete(`${sandbox}/notes/hello`), 200);
  });

  it('makes any application a sandbox, or stops it being one, by editing its guest role', async () => {
    const { base } = await application();
    expectStatus(await w.http.get(`${base}/things`), 401);
    await w.asAdmin('post', `${base}/roles/guest/permissions`, { permission: 'get,put,post,delete:/**' });
    expectStatus(await w.http.get(`${base}/things`), 200);
    await w.asAdmin('delete', `${base}/roles/guest/permissions?permission=${encodeURIComponent('get,put,post,delete:/**')}`);
    expectStatus(await w.http.get(`${base}/things`), 401);
    await w.asAdmin('delete', `${base}/roles/guest`);
    const noGuests = await w.http.post(`${base}/users`, { json: { username: 'late', password: passwordOf('late') } });
    expectStatus(noGuests, 401);
    expect(noGuests.body.error_description).toBe('No application guest access authorized');
  });

  it("refuses an application user's token in another application of the organization with 403", async () => {
    const one = await application();
    const other = await application();
    const token = await one.user('traveller');
    expectStatus(await w.http.get(`${one.base}/users/me`, { token }), 200);
    expectStatus(await w.http.get(`${other.base}/cats`, { token }), 403);
  });

  it('binds ${user} to the caller only', async () => {
    const { base, user } = await application();
    await w.asAdmin('delete', `${base}/roles/default`);
    await w.asAdmin('post', `${base}/roles`, { name: 'self-service' });
    await w.asAdmin('post', `${base}/roles/self-service/permissions`, { permission: 'get,put:/users/${user}' });
    const ann = await user('ann');
    await user('ben');
    await w.asAdmin('post', `${base}/roles/self-service/users/ann`);
    expectStatus(await w.http.put(`${base}/users/ann`, { token: ann, json: { name: 'Ann' } }), 200);
    expectStatus(await w.http.put(`${base}/users/me`, { token: ann, json: { name: 'Ann A.' } }), 200);
    expectStatus(await w.http.put(`${base}/users/ben`, { token: ann, json: { name: 'Not Ben' } }), 403);
    expectStatus(await w.http.get(`${base}/users/ben`, { token: ann }), 403);
  });

  it("enforces a group's own permissions (Usergrid stores them and ignores them)", async () => {
    const { base, user } = await application();
    await w.asAdmin('delete', `${base}/roles/default`);
    const token = await user('grouped');
    await w.asAdmin('post', `${base}/groups`, { path: 'gardeners' });
    await w.asAdmin('post', `${base}/groups/gardeners/users/grouped`);
    expectStatus(await w.http.post(`${base}/plants`, { token, json: { name: 'fern' } }), 403);
    await w.asAdmin('post', `${base}/groups/gardeners/permissions`, { permission: 'post:/plants' });
    expectStatus(await w.http.post(`${base}/plants`, { token, json: { name: 'fern' } }), 200);
  });

  it("a user's own permissions count too", async () => {
    const { base, user } = await application();
    await w.asAdmin('delete', `${base}/roles/default`);
    const token = await user('solo');
    await w.asAdmin('post', `${base}/users/solo/permissions`, { permission: 'get:/cats' });
    expectStatus(await w.http.get(`${base}/cats`, { token }), 200);
    expectStatus(await w.http.get(`${base}/dogs`, { token }), 403);
  });
});
