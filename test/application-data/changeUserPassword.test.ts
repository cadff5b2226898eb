import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordOf } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { openSession } from '../helpers/quickblox.js';
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

describe('changeUserPassword', () => {
  it('changes the password with the old one, keeps the token that sent it and revokes the user’s other tokens', async () => {
    await createUser(w.http, w.acme, 'carol');
    const sender = await signIn(w.http, w.acme, 'carol');
    const other = await signIn(w.http, w.acme, 'carol');
    const session = await openSession(w.server.url, w.acme, clock, { user: { login: 'carol', password: passwordOf('carol') } });
    const { data, response } = await w.api(sender).PUT('/{org}/{app}/users/{user}/password', {
      ...userPath('me'),
      body: { oldpassword: passwordOf('carol'), newpassword: 'carol-new-password' },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ action: 'set user password', organization: 'acme', applicationName: 'app' });
    expect((await me(sender)).response.status).toBe(200);
    expect((await me(other)).response.status).toBe(401);
    expect((await w.api({ qbToken: session }).GET('/session.json')).response.status).toBe(401);
    expect((await passwordGrant('carol', passwordOf('carol'))).response.status).toBe(400);
    expect((await passwordGrant('carol', 'carol-new-password')).response.status).toBe(200);
  });

  it('keeps the QuickBlox session that sent the change, on the Usergrid route', async () => {
    await createUser(w.http, w.acme, 'erin');
    const session = await openSession(w.server.url, w.acme, clock, { user: { login: 'erin', password: passwordOf('erin') } });
    const token = await signIn(w.http, w.acme, 'erin');
    const changed = await w.api({ qbToken: session }).PUT('/{org}/{app}/users/{user}/password', {
      ...userPath('erin'),
      body: { oldpassword: passwordOf('erin'), newpassword: 'erin-new-password' },
    });
    expect(changed.response.status).toBe(200);
    expect((await w.api({ qbToken: session }).GET('/session.json')).response.status).toBe(200);
    expect((await me(token)).response.status).toBe(401);
  });

  it('answers a missing or wrong oldpassword with 400 invalid_grant and changes nothing', async () => {
    const alice = await signIn(w.http, w.acme, 'alice');
    for (const body of [{ newpassword: 'alice-new-password' }, { oldpassword: 'not-it', newpassword: 'alice-new-password' }]) {
      const { error, response } = await w.api(alice).PUT('/{org}/{app}/users/{user}/password', { ...userPath('alice'), body });
      expect(response.status).toBe(400);
      expect(error).toMatchObject({ error: 'invalid_grant', error_description: expect.any(String), timestamp: expect.any(Number) });
    }
    expect((await me(alice)).response.status).toBe(200);
    expect((await passwordGrant('alice', passwordOf('alice'))).response.status).toBe(200);
  });

  it('counts a wrong oldpassword under the brute-force guard, like a wrong sign-in', async () => {
    await createUser(w.http, w.acme, 'frank');
    const frank = await signIn(w.http, w.acme, 'frank');
    const change = (oldpassword: string) =>
      w.api(frank).PUT('/{org}/{app}/users/{user}/password', { ...userPath('frank'), body: { oldpassword, newpassword: 'frank-new-password' } });
    for (let i = 0; i < 5; i++) expect((await change(`wrong-guess-${i}`)).response.status).toBe(400);
    const refused = await change(passwordOf('frank'));
    expect(refused.response.status).toBe(429);
    expect(refused.error?.error).toBe('too_many_requests');
    // The same counters as the sign-in: the password grant waits too.
    expect((await passwordGrant('frank', passwordOf('frank'))).response.status).toBe(429);
    clock.advance(Number(refused.response.headers.get('retry-after')) * 1000);
    expect((await change(passwordOf('frank'))).response.status).toBe(200);
  });

  it('lets an application admin set it without the old one, and revokes every token of the user', async () => {
    await createUser(w.http, w.acme, 'gina');
    const gina = await signIn(w.http, w.acme, 'gina');
    const { response } = await w.asAdmin.PUT('/{org}/{app}/users/{user}/password', { ...userPath('gina'), body: { newpassword: 'reset-by-admin' } });
    expect(response.status).toBe(200);
    expect((await me(gina)).response.status).toBe(401);
    expect((await passwordGrant('gina', 'reset-by-admin')).response.status).toBe(200);
  });

  it('refuses another user’s password (403), an anonymous caller (401) and an unknown user (404), changing nothing', async () => {
    const bob = await signIn(w.http, w.acme, 'bob');
    const body = { oldpassword: passwordOf('alice'), newpassword: 'taken-over' };
    expect((await w.api(bob).PUT('/{org}/{app}/users/{user}/password', { ...userPath('alice'), body })).response.status).toBe(403);
    expect((await w.api().PUT('/{org}/{app}/users/{user}/password', { ...userPath('alice'), body })).response.status).toBe(401);
    const missing = await w.asAdmin.PUT('/{org}/{app}/users/{user}/password', { ...userPath('nobody'), body: { newpassword: 'whatever-password' } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ error: 'entity_not_found' });
    expect((await passwordGrant('alice', passwordOf('alice'))).response.status).toBe(200);
  });

  it('answers bad input with 400 in the Usergrid shape, changing nothing', async () => {
    const bodies: unknown[] = [{}, { newpassword: 'short' }, { newpassword: 12345678 }, { newpassword: 'long-enough-password', extra: 1 }];
    for (const body of bodies) {
      const answer = await w.http.put('/acme/app/users/alice/password', { json: body, token: w.acme.admin.token });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: expect.any(String), error_description: expect.any(String), timestamp: expect.any(Number), duration: expect.any(Number) });
    }
    expect((await passwordGrant('alice', passwordOf('alice'))).response.status).toBe(200);
  });
});
