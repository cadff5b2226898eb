import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { passwordOf } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { openSession, qb, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { expectStatus, first } from './support.js';

/**
 * The account-takeover class (issue 11 §1, §2, §5): "self" and "owner" are decided by identity,
 * never by a string the caller chose. Every test attacks over HTTP as a signed-up user would:
 * look-alike names (case, email, uuid, number, a `*`), another user's password and record, and
 * another user's custom object through the second route to it.
 */
let w: World;
const clock = new ManualClock();
const victim = { username: 'victim', email: 'victim@corp.example' };
let victimUuid: string;
let victimId: number;

beforeAll(async () => {
  w = await startWorld({ clock });
  const made = first((await ok(w.asAdmin.POST('/{org}/{app}/users', { params: { path: acmeApp }, body: { ...victim, password: passwordOf('victim') } }), 200)).entities);
  victimUuid = made.uuid;
  victimId = made.id;
});
afterAll(() => w.server.close());

/** An anonymous sign-up (the guest role allows `post:/users`). */
const signUp = (username: string, email?: string) =>
  w.api().POST('/{org}/{app}/users', { params: { path: acmeApp }, body: { username, password: passwordOf(username), ...(email && { email }) } });

describe('signing up under a name that would name someone else', () => {
  it('refuses the victim’s username in another case (409): usernames are one name whatever their case', async () => {
    for (const name of ['VICTIM', 'Victim', 'vIcTiM']) expectStatus(await signUp(name), 409);
  });

  it('refuses a username shaped like an email, a uuid or a number (400), on both routes', async () => {
    for (const name of [victim.email, victimUuid, victimUuid.toUpperCase(), String(victimId), '007', 'me', 'ME', 'a*b', '*']) {
      expectStatus(await signUp(name), 400);
    }
    const session = withSession(w.server.url, await openSession(w.server.url, w.acme, clock));
    for (const login of [String(victimId), victimUuid, 'x*y']) {
      const refused = await session.POST('/users.json', { body: { user: { login, password: 'long-enough-password' } } });
      expect(refused.response.status, login).toBe(422);
    }
  });

  it('gives an email-only QuickBlox sign-up a login that names nobody else, not its email', async () => {
    const session = withSession(w.server.url, await openSession(w.server.url, w.acme, clock));
    const made = await ok(session.POST('/users.json', { body: { user: { email: '*@corp.example', password: 'wildcard-password' } } }), 201);
    expect(made.user.login).not.toContain('@');
    expect(made.user.login).not.toContain('*');
  });
});

describe('"self" in ${user} permissions and the always-granted get:/users/${user}', () => {
  let attacker: string;
  let attackerUuid: string;
  beforeAll(async () => {
    // Only the grants under test: no default role, and a role that lets a user manage their own record.
    await ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}', { params: { path: { ...acmeApp, role: 'default' } } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'self-service' } }), 200);
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'self-service' } }, body: { permission: 'get,put:/users/${user}/**' } }), 200);
    ({ uuid: attackerUuid } = await createUser(w.http, w.acme, 'mallory'));
    await ok(w.asAdmin.POST('/{org}/{app}/users/{user}/roles/{role}', { params: { path: { ...acmeApp, user: 'mallory', role: 'self-service' } } }), 200);
    attacker = await signIn(w.http, w.acme, 'mallory');
  });

  it('never matches the victim, by any of their names', async () => {
    const api = w.api(attacker);
    for (const ref of [victim.username, victim.username.toUpperCase(), victim.email, victim.email.toUpperCase(), victimUuid]) {
      expectStatus(await api.GET('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: ref } } }), 403);
      expectStatus(await api.PUT('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: ref } }, body: { name: 'owned' } }), 403);
    }
    const session = withSession(w.server.url, await openSession(w.server.url, w.acme, clock, { user: { login: 'mallory', password: passwordOf('mallory') } }));
    expectStatus(await session.GET('/users/{id}.json', { params: { path: { id: victimId } } }), 403);
  });

  it('matches ${user} elsewhere than /users/{user} by the caller’s uuid only, never by a username its owner can give up', async () => {
    await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'self-service' } }, body: { permission: 'get,put,post:/notes/${user}' } }), 200);
    const api = w.api(attacker);
    expectStatus(await api.PUT('/{org}/{app}/{collection}/{entity}', { params: { path: { ...acmeApp, collection: 'notes', entity: 'mallory' } }, body: { text: 'x' } }), 403);
    expectStatus(await api.GET('/{org}/{app}/{collection}/{entity}', { params: { path: { ...acmeApp, collection: 'notes', entity: 'victim' } } }), 403);
    // Its uuid names the caller: the entity does not exist, which the operation then says (404).
    expectStatus(await api.GET('/{org}/{app}/{collection}/{entity}', { params: { path: { ...acmeApp, collection: 'notes', entity: attackerUuid } } }), 404);
  });

  it('matches the caller by every one of their own names, in any case', async () => {
    const api = w.api(attacker);
    for (const ref of ['mallory', 'MALLORY', attackerUuid, attackerUuid.toUpperCase(), 'me']) {
      expectStatus(await api.GET('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: ref } } }), 200);
    }
  });
});
