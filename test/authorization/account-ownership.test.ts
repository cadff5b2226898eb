import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { passwordOf } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { openSession, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { expectStatus } from './support.js';

/**
 * An account is its owner's (issue 11 §2), and a custom object its creator's (§5), whatever the
 * path permissions say: in an application with Usergrid's built-in roles, where the `default` role
 * grants every signed-in user `/**` and guests may sign up.
 */
let w: World;
const clock = new ManualClock();
let alice: string;
let bob: string;

beforeAll(async () => {
  w = await startWorld({ clock });
  await createUser(w.http, w.acme, 'alice');
  await createUser(w.http, w.acme, 'bob');
  alice = await signIn(w.http, w.acme, 'alice');
  bob = await signIn(w.http, w.acme, 'bob');
});
afterAll(() => w.server.close());

const userPath = (user: string) => ({ params: { path: { ...acmeApp, user } } });

describe('another user’s account', () => {
  it('is closed to a user whose roles reach it: no password, no other field, no deletion (403)', async () => {
    const asBob = w.api(bob);
    expectStatus(await asBob.PUT('/{org}/{app}/users/{user}', { ...userPath('alice'), body: { password: 'taken-over-password' } }), 403);
    expectStatus(await asBob.PUT('/{org}/{app}/users/{user}', { ...userPath('alice'), body: { name: 'Bob was here' } }), 403);
    expectStatus(await asBob.DELETE('/{org}/{app}/users/{user}', userPath('alice')), 403);
    // Alice is untouched: her password and her token still work.
    expectStatus(await w.api(alice).GET('/{org}/{app}/users/{user}', userPath('me')), 200);
    expect(await signIn(w.http, w.acme, 'alice')).toMatch(/^tsr_/);
  });

  it('is open to an application admin, who sets a password without the old one', async () => {
    await createUser(w.http, w.acme, 'carol');
    const carol = await signIn(w.http, w.acme, 'carol');
    await ok(w.asAdmin.PUT('/{org}/{app}/users/{user}', { ...userPath('carol'), body: { password: 'reset-by-admin' } }), 200);
    expectStatus(await w.api(carol).GET('/{org}/{app}/users/{user}', userPath('me')), 401);
    expectStatus(await w.api().POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username: 'carol', password: 'reset-by-admin' } }), 200);
  });
});

describe('one’s own account', () => {
  it('changes its password only with the current one (oldpassword), which then revokes the other tokens', async () => {
    await createUser(w.http, w.acme, 'dave');
    const dave = await signIn(w.http, w.acme, 'dave');
    const daveElsewhere = await signIn(w.http, w.acme, 'dave');
    const asDave = w.api(dave);
    const missing = await asDave.PUT('/{org}/{app}/users/{user}', { ...userPath('me'), body: { password: 'new-dave-password' } });
    expectStatus(missing, 400);
    expect(missing.error).toMatchObject({ error: 'invalid_grant' });
    expectStatus(await asDave.PUT('/{org}/{app}/users/{user}', { ...userPath('me'), body: { password: 'new-dave-password', oldpassword: 'not-it' } }), 400);
    const changed = await ok(asDave.PUT('/{org}/{app}/users/{user}', { ...userPath('dave'), body: { password: 'new-dave-password', oldpassword: passwordOf('dave') } }), 200);
    // The proof is not kept as a property of the user.
    expect(changed.entities[0]).not.toHaveProperty('oldpassword');
    // The token that made the change stays; every other one of dave's is gone (issue 15).
    expectStatus(await asDave.GET('/{org}/{app}/users/{user}', userPath('me')), 200);
    expectStatus(await w.api(daveElsewhere).GET('/{org}/{app}/users/{user}', userPath('me')), 401);
  });

  it('keeps its activation in an admin’s hands, and its other fields in the owner’s', async () => {
    const asAlice = w.api(alice);
    expectStatus(await asAlice.PUT('/{org}/{app}/users/{user}', { ...userPath('me'), body: { activated: false } }), 403);
    const renamed = await ok(asAlice.PUT('/{org}/{app}/users/{user}', { ...userPath('alice'), body: { name: 'Alice A.' } }), 200);
    expect(renamed.entities[0]).toMatchObject({ name: 'Alice A.', activated: true });
  });

  it('needs the current password too when the credential is a QuickBlox session on the Usergrid route', async () => {
    await createUser(w.http, w.acme, 'erin');
    const session = await openSession(w.server.url, w.acme, clock, { user: { login: 'erin', password: passwordOf('erin') } });
    const asErin = w.api({ qbToken: session });
    expectStatus(await asErin.PUT('/{org}/{app}/users/{user}', { ...userPath('erin'), body: { password: 'new-erin-password' } }), 400);
    expectStatus(await asErin.PUT('/{org}/{app}/users/{user}', { ...userPath('erin'), body: { password: 'new-erin-password', oldpassword: passwordOf('erin') } }), 200);
  });
});

describe('a custom object, through either route', () => {
  const movies = { params: { path: { className: 'Movie' } } };
  const onUsergrid = (id: string) => ({ params: { path: { ...acmeApp, collection: 'movie', entity: id } } });

  it('is changed or deleted by its creator only, besides the application’s admins', async () => {
    const aliceSession = withSession(w.server.url, await openSession(w.server.url, w.acme, clock, { user: { login: 'alice', password: passwordOf('alice') } }));
    const made = await ok(aliceSession.POST('/data/{className}.json', { ...movies, body: { title: 'Ronin' } }), 201);
    const asBob = w.api(bob);
    expectStatus(await asBob.PUT('/{org}/{app}/{collection}/{entity}', { ...onUsergrid(made._id), body: { title: 'stolen' } }), 403);
    expectStatus(await asBob.DELETE('/{org}/{app}/{collection}/{entity}', onUsergrid(made._id)), 403);
    const bobSession = withSession(w.server.url, await openSession(w.server.url, w.acme, clock, { user: { login: 'bob', password: passwordOf('bob') } }));
    expectStatus(await bobSession.PUT('/data/{className}/{id}.json', { params: { path: { className: 'Movie', id: made._id } }, body: { title: 'stolen' } }), 403);
    // Its creator, by a Usergrid token, and an admin may.
    expectStatus(await w.api(alice).PUT('/{org}/{app}/{collection}/{entity}', { ...onUsergrid(made._id), body: { title: 'Ronin (1998)' } }), 200);
    expectStatus(await w.asAdmin.PUT('/{org}/{app}/{collection}/{entity}', { ...onUsergrid(made._id), body: { rating: 5 } }), 200);
    const seen = await ok(aliceSession.GET('/data/{className}/{id}.json', { params: { path: { className: 'Movie', id: made._id } } }), 200);
    expect(seen.items[0]).toMatchObject({ title: 'Ronin (1998)', rating: 5 });
  });

  it('keeps its creator whatever a client sends as user_id, on either route', async () => {
    const bobSession = withSession(w.server.url, await openSession(w.server.url, w.acme, clock, { user: { login: 'bob', password: passwordOf('bob') } }));
    const made = await ok(bobSession.POST('/data/{className}.json', { ...movies, body: { title: 'Heat', user_id: 1 } }), 201);
    const bobId = made.user_id;
    await ok(w.api(bob).PUT('/{org}/{app}/{collection}/{entity}', { ...onUsergrid(made._id), body: { user_id: 1 } }), 200);
    await ok(bobSession.PUT('/data/{className}/{id}.json', { params: { path: { className: 'Movie', id: made._id } }, body: { user_id: 1 } }), 200);
    const seen = await ok(bobSession.GET('/data/{className}/{id}.json', { params: { path: { className: 'Movie', id: made._id } } }), 200);
    expect(seen.items[0]?.user_id).toBe(bobId);
    expectStatus(await w.api(alice).PUT('/{org}/{app}/{collection}/{entity}', { ...onUsergrid(made._id), body: { title: 'mine now' } }), 403);
  });
});
