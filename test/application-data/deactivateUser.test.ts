import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm } from '../helpers/api.js';
import { passwordOf } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { openSession, postSession, qb, sessionRequest, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let w: World;
beforeAll(async () => {
  w = await startWorld({ clock, users: { acme: ['alice', 'bob'] } });
});
afterAll(() => w.server.close());

const userPath = (user: string) => ({ params: { path: { ...acmeApp, user } } });
const me = (token: string) => w.api(token).GET('/{org}/{app}/users/{user}', userPath('me'));
const passwordGrant = (username: string, password: string) =>
  w.api().POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username, password } });

describe('deactivateUser', () => {
  it('deactivates a user: their tokens and sessions stop working at once', async () => {
    await createUser(w.http, w.acme, 'carol');
    const token = await signIn(w.http, w.acme, 'carol');
    const session = await openSession(w.server.url, w.acme, clock, { user: { login: 'carol', password: passwordOf('carol') } });
    const { data, response } = await w.asAdmin.POST('/{org}/{app}/users/{user}/deactivate', userPath('carol'));
    expect(response.status).toBe(200);
    expect(data?.entities[0]).toMatchObject({ username: 'carol', activated: false });
    expect((await me(token)).response.status).toBe(401);
    expect((await withSession(w.http, session).GET('/session.json')).response.status).toBe(401);
  });

  it('gives a deactivated user no token by any grant or login, with the very answer of a wrong password', async () => {
    await createUser(w.http, w.acme, 'dave');
    expect((await w.asAdmin.POST('/{org}/{app}/users/{user}/deactivate', userPath('dave'))).response.status).toBe(200);

    const [inactive, wrong] = [await passwordGrant('dave', passwordOf('dave')), await passwordGrant('dave', 'wrong-password')];
    expect(inactive.response.status).toBe(400);
    expect(inactive.error).toMatchObject({ error: wrong.error?.error, error_description: wrong.error?.error_description });

    const app = withSession(w.http, await openSession(w.server.url, w.acme, clock));
    const login = (password: string) => app.POST('/login.json', { body: { login: 'dave', password }, ...asForm });
    const [qbInactive, qbWrong] = [await login(passwordOf('dave')), await login('wrong-password')];
    expect(qbInactive.response.status).toBe(401);
    expect(qbInactive.error).toEqual(qbWrong.error);

    const withUser = await postSession(qb(w.http), sessionRequest(w.acme, clock, { user: { login: 'dave', password: passwordOf('dave') }, nonce: 424242 }));
    expect(withUser.response.status).toBe(401);
    expect(withUser.error).toEqual(qbWrong.error);
  });

  it('is for application admins only: a user cannot deactivate themselves or another (403), changing nothing', async () => {
    const alice = await signIn(w.http, w.acme, 'alice');
    expect((await w.api(alice).POST('/{org}/{app}/users/{user}/deactivate', userPath('alice'))).response.status).toBe(403);
    expect((await w.api(alice).POST('/{org}/{app}/users/{user}/deactivate', userPath('bob'))).response.status).toBe(403);
    expect((await w.api().POST('/{org}/{app}/users/{user}/deactivate', userPath('bob'))).response.status).toBe(401);
    expect((await me(alice)).response.status).toBe(200);
    expect((await passwordGrant('bob', passwordOf('bob'))).response.status).toBe(200);
  });

  it('answers an unknown user with 404 in the Usergrid shape', async () => {
    const { error, response } = await w.asAdmin.POST('/{org}/{app}/users/{user}/deactivate', userPath('nobody'));
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ error: 'entity_not_found', timestamp: expect.any(Number) });
  });
});
