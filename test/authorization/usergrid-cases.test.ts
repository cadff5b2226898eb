import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePermissions, permits } from '../../src/auth/permissions.js';
import { ok } from '../helpers/api.js';
import { passwordOf } from '../helpers/credentials.js';
import type { AppParams } from '../helpers/fixtures.js';
import { systemClock } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { expectStatus } from './support.js';

/**
 * The permission cases of reference/usergrid-auth.md §8 (#27–#32; #33–#34 are about queues,
 * assets and /system, which Tessera does not have), and the cases it suggests adding. Where
 * Usergrid answers 401 to a signed-in user without the right, Tessera answers 403 (README).
 */
let w: World;
let counter = 0;

beforeAll(async () => {
  w = await startWorld({ clock: systemClock });
});
afterAll(() => w.server.close());

/**
 * A fresh application of the organization (so deleting its `default` role touches no other case),
 * with helpers: the admin's changes, which must succeed, and the path parameters of its routes.
 */
async function application() {
  const name = `case${++counter}`;
  await ok(w.asAdmin.POST('/management/orgs/{org}/apps', { params: { path: { org: w.acme.name } }, body: { name } }), 200);
  const app: AppParams = { org: w.acme.name, app: name };
  const user = async (username: string) => {
    await createUser(w.http, w.acme, username, app.app);
    return signIn(w.http, w.acme, username, {}, app.app);
  };
  const role = (name: string) => ({ path: { ...app, role: name } });
  const group = (name: string) => ({ path: { ...app, group: name } });
  const admin = {
    deleteRole: (name: string) => ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}', { params: role(name) }), 200),
    createRole: (name: string) => ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: app }, body: { name } }), 200),
    grantRole: (name: string, permission: string) => ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: role(name), body: { permission } }), 200),
    giveRole: (name: string, user: string) => ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/users/{user}', { params: { path: { ...app, role: name, user } } }), 200),
    createGroup: (name: string) => ok(w.asAdmin.POST('/{org}/{app}/groups', { params: { path: app }, body: { path: name } }), 200),
    giveGroupRole: (name: string, role: string) => ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: { path: { ...app, group: name, role } } }), 200),
    join: (name: string, user: string) => ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: { path: { ...app, group: name, user } } }), 200),
    grantGroup: (name: string, permission: string) => ok(w.asAdmin.POST('/{org}/{app}/groups/{group}/permissions', { params: group(name), body: { permission } }), 200),
  };
  /** The path parameters of a collection, one of its entities, or a user. */
  const collection = (collection: string) => ({ path: { ...app, collection } });
  const entity = (collection: string, entity: string) => ({ path: { ...app, collection, entity } });
  const userPath = (user: string) => ({ path: { ...app, user } });
  return { app, user, admin, role, collection, entity, userPath };
}

describe('§8 #27: a role given directly and through a group', () => {
  it('lets both users post and read reviews, and neither delete one (403; Usergrid 401)', async () => {
    const { user, admin, collection, entity } = await application();
    await admin.deleteRole('default');
    await admin.createRole('reviewer');
    await admin.grantRole('reviewer', 'get,put,post:/reviews/**');
    const r1 = await user('r1');
    const r2 = await user('r2');
    await admin.giveRole('reviewer', 'r1');
    await admin.createGroup('reviewergroup');
    await admin.giveGroupRole('reviewergroup', 'reviewer');
    await admin.join('reviewergroup', 'r2');
    for (const [token, name] of [[r1, 'review-by-r1'], [r2, 'review-by-r2']] as const) {
      const reviewer = w.api(token);
      expectStatus(await reviewer.POST('/{org}/{app}/{collection}', { params: collection('reviews'), body: { name, rating: 5 } }), 200);
      expectStatus(await reviewer.GET('/{org}/{app}/{collection}', { params: collection('reviews') }), 200);
      const denied = await reviewer.DELETE('/{org}/{app}/{collection}/{entity}', { params: entity('reviews', name) });
      expectStatus(denied, 403);
      expect(denied.error?.error).toBe('forbidden');
    }
  });
});

describe('§8 #28: wildcards in the middle of a path and /users/me/**', () => {
  const reviewer = ['get,put,post:/reviews/**', 'get,put,post:/users/me/**', 'get,put,post:/books/*/review/*'];

  it('allows POST /reviews and GET /users/me, and refuses POST /books (403; Usergrid 401)', async () => {
    const { app, user, admin, collection, userPath } = await application();
    await admin.deleteRole('default');
    await admin.createRole('reviewer');
    for (const permission of reviewer) await admin.grantRole('reviewer', permission);
    const critic = w.api(await user('critic'));
    await ok(w.asAdmin.POST('/{org}/{app}/users/{user}/roles/{role}', { params: { path: { ...app, user: 'critic', role: 'reviewer' } } }), 200);
    expectStatus(await critic.POST('/{org}/{app}/{collection}', { params: collection('reviews'), body: { name: 'r1' } }), 200);
    expectStatus(await critic.POST('/{org}/{app}/{collection}', { params: collection('books'), body: { name: 'b1' } }), 403);
    expectStatus(await critic.GET('/{org}/{app}/users/{user}', { params: userPath('me') }), 200);
  });

  it('matches the connection paths of the case, which Tessera has no routes for, as Usergrid does', () => {
    const grants = compilePermissions(reviewer);
    expect(permits(grants, 'post', '/users/me/wrote/review/r1')).toBe(true);
    expect(permits(grants, 'post', '/books/b1/review/r1')).toBe(true);
    expect(permits(grants, 'get', '/users/me/wrote')).toBe(true);
    expect(permits(grants, 'post', '/books')).toBe(false);
  });
});

describe('§8 #29: a role on a group, with a trailing /*', () => {
  it('lets a member post to /cats and read /cats/fluffy, and refuses changing or deleting it', async () => {
    const { user, admin, collection, entity } = await application();
    await admin.deleteRole('default');
    await admin.createRole('tester');
    await admin.grantRole('tester', 'get,post:/cats/*');
    await admin.createGroup('testgroup');
    await admin.giveGroupRole('testgroup', 'tester');
    const member = w.api(await user('member'));
    await admin.join('testgroup', 'member');
    expectStatus(await member.POST('/{org}/{app}/{collection}', { params: collection('cats'), body: { name: 'fluffy' } }), 200);
    expectStatus(await member.GET('/{org}/{app}/{collection}/{entity}', { params: entity('cats', 'fluffy') }), 200);
    expectStatus(await member.PUT('/{org}/{app}/{collection}/{entity}', { params: entity('cats', 'fluffy'), body: { color: 'black' } }), 403);
    expectStatus(await member.DELETE('/{org}/{app}/{collection}/{entity}', { params: entity('cats', 'fluffy') }), 403);
  });
});

describe('§8 #30: GET /users/me is always allowed', () => {
  it('lets a user without any role read themselves, and nothing else', async () => {
    const { user, admin, collection, userPath } = await application();
    await admin.deleteRole('default');
    const loner = w.api(await user('loner'));
    expectStatus(await loner.POST('/{org}/{app}/{collection}', { params: collection('cats'), body: { name: 'x' } }), 403);
    const me = await loner.GET('/{org}/{app}/users/{user}', { params: userPath('me') });
    expectStatus(me, 200);
    expect(me.data?.entities[0]?.username).toBe('loner');
    expectStatus(await loner.DELETE('/{org}/{app}/users/{user}', { params: userPath('me') }), 403);
  });
});

describe('§8 #31: permission is checked before existence', () => {
  it('answers an anonymous caller 401 for a role, then 404 for a missing one once guests may read', async () => {
    const { admin, role } = await application();
    const anonymous = await w.api().GET('/{org}/{app}/roles/{role}', { params: role('guest') });
    expectStatus(anonymous, 401);
    expect(anonymous.response.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    await admin.grantRole('guest', 'get:/**');
    expectStatus(await w.api().GET('/{org}/{app}/roles/{role}', { params: role('banana') }), 404);
    expectStatus(await w.api().GET('/{org}/{app}/roles/{role}', { params: role('guest') }), 200);
  });
});

describe('§8 #32: the username me is reserved', () => {
  it('refuses creating or renaming a user to me with 400', async () => {
    const { app, user, userPath } = await application();
    expectStatus(await w.asAdmin.POST('/{org}/{app}/users', { params: { path: app }, body: { username: 'me', password: 'long-password' } }), 400);
    await user('ursula');
    expectStatus(await w.asAdmin.PUT('/{org}/{app}/users/{user}', { params: userPath('ursula'), body: { username: 'me' } }), 400);
  });
});

describe('the cases reference §8 suggests adding', () => {
  it('lets anonymous callers sign up through the default guest role, but not list users', async () => {
    const { app } = await application();
    const anonymous = w.api();
    expectStatus(await anonymous.POST('/{org}/{app}/users', { params: { path: app }, body: { username: 'newcomer', password: passwordOf('newcomer') } }), 200);
    const list = await anonymous.GET('/{org}/{app}/users', { params: { path: app } });
    expectStatus(list, 401);
    expect(list.error?.error).toBe('unauthorized');
  });

  it('opens the sandbox to anonymous callers entirely', async () => {
    const sandbox = { org: w.acme.name, app: 'sandbox' };
    const notes = { path: { ...sandbox, collection: 'notes' } };
    const hello = { path: { ...sandbox, collection: 'notes', entity: 'hello' } };
    const anonymous = w.api();
    expectStatus(await anonymous.POST('/{org}/{app}/{collection}', { params: notes, body: { name: 'hello', text: 'no token needed' } }), 200);
    expectStatus(await anonymous.PUT('/{org}/{app}/{collection}/{entity}', { params: hello, body: { text: 'changed' } }), 200);
    expectStatus(await anonymous.GET('/{org}/{app}/{collection}/{entity}', { params: hello }), 200);
    expectStatus(await anonymous.GET('/{org}/{app}/users', { params: { path: sandbox } }), 200);
    expectStatus(await anonymous.DELETE('/{org}/{app}/{collection}/{entity}', { params: hello }), 200);
  });

  it('makes any application a sandbox, or stops it being one, by editing its guest role', async () => {
    const { app, admin, role, collection } = await application();
    const anonymous = w.api();
    const things = () => anonymous.GET('/{org}/{app}/{collection}', { params: collection('things') });
    expectStatus(await things(), 401);
    await admin.grantRole('guest', 'get,put,post,delete:/**');
    expectStatus(await things(), 200);
    await ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}/permissions', { params: { ...role('guest'), query: { permission: 'get,put,post,delete:/**' } } }), 200);
    expectStatus(await things(), 401);
    await admin.deleteRole('guest');
    const noGuests = await anonymous.POST('/{org}/{app}/users', { params: { path: app }, body: { username: 'late', password: passwordOf('late') } });
    expectStatus(noGuests, 401);
    expect(noGuests.error?.error_description).toBe('No application guest access authorized');
  });

  it("refuses an application user's token in another application of the organization with 403", async () => {
    const one = await application();
    const other = await application();
    const traveller = w.api(await one.user('traveller'));
    expectStatus(await traveller.GET('/{org}/{app}/users/{user}', { params: one.userPath('me') }), 200);
    expectStatus(await traveller.GET('/{org}/{app}/{collection}', { params: other.collection('cats') }), 403);
  });

  it('binds ${user} to the caller only', async () => {
    const { user, admin, userPath } = await application();
    await admin.deleteRole('default');
    await admin.createRole('self-service');
    await admin.grantRole('self-service', 'get,put:/users/${user}');
    const ann = w.api(await user('ann'));
    await user('ben');
    await admin.giveRole('self-service', 'ann');
    expectStatus(await ann.PUT('/{org}/{app}/users/{user}', { params: userPath('ann'), body: { name: 'Ann' } }), 200);
    expectStatus(await ann.PUT('/{org}/{app}/users/{user}', { params: userPath('me'), body: { name: 'Ann A.' } }), 200);
    expectStatus(await ann.PUT('/{org}/{app}/users/{user}', { params: userPath('ben'), body: { name: 'Not Ben' } }), 403);
    expectStatus(await ann.GET('/{org}/{app}/users/{user}', { params: userPath('ben') }), 403);
  });

  it("enforces a group's own permissions (Usergrid stores them and ignores them)", async () => {
    const { user, admin, collection } = await application();
    await admin.deleteRole('default');
    const grouped = w.api(await user('grouped'));
    await admin.createGroup('gardeners');
    await admin.join('gardeners', 'grouped');
    const plant = () => grouped.POST('/{org}/{app}/{collection}', { params: collection('plants'), body: { name: 'fern' } });
    expectStatus(await plant(), 403);
    await admin.grantGroup('gardeners', 'post:/plants');
    expectStatus(await plant(), 200);
  });

  it("a user's own permissions count too", async () => {
    const { user, admin, collection, userPath } = await application();
    await admin.deleteRole('default');
    const solo = w.api(await user('solo'));
    await ok(w.asAdmin.POST('/{org}/{app}/users/{user}/permissions', { params: userPath('solo'), body: { permission: 'get:/cats' } }), 200);
    expectStatus(await solo.GET('/{org}/{app}/{collection}', { params: collection('cats') }), 200);
    expectStatus(await solo.GET('/{org}/{app}/{collection}', { params: collection('dogs') }), 403);
  });
});
