import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { user as alice } from '../helpers/oauth.js';
import { formOf, sessionRequest } from '../helpers/quickblox.js';
import { basic } from '../helpers/credentials.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

/**
 * A password change, deactivation or deletion revokes the user's tokens once. A sign-in that checked
 * the old password just before it, and stores its token just after, must not keep that token
 * (found by an attacker run: a loop of sign-ins with a stolen password outlived the owner's
 * password change). The race is made certain here: the brute-force guard is wrapped so that,
 * right after the real password check passes, the account changes through the API; then the
 * sign-in goes on to issue. Every sign-in route must then fail, and leave no live credential.
 */
let world: OAuthWorld;
let password = alice.password;
let change: Record<string, unknown> | undefined;
/** An admin's password change, made through the API by the superuser between the check and the issue. */
let adminChange: (() => Promise<{ status: number; text: string }>) | undefined;

beforeAll(async () => {
  world = await startWorld({ oauth: true });
  const guard = world.server.deps.bruteForceGuard;
  const check = guard.password.bind(guard);
  guard.password = (async (attempt: Parameters<typeof check>[0], verify: Parameters<typeof check>[1]) => {
    const account = await check(attempt, verify);
    if (change) {
      const changed = await world.http.put(`/acme/app/users/${alice.username}`, { json: change, token: world.acme.admin.token });
      expect(changed.status, changed.text).toBe(200);
      change = undefined;
    }
    if (adminChange) {
      const changed = await adminChange();
      expect(changed.status, changed.text).toBe(200);
      adminChange = undefined;
    }
    return account;
  }) as typeof guard.password;
});
afterAll(() => world.server.close());

beforeEach(async () => {
  // Each case starts from an active alice with a known password.
  const reset = await world.http.put(`/acme/app/users/${alice.username}`, { json: { activated: true, password }, token: world.acme.admin.token });
  expect(reset.status, reset.text).toBe(200);
});

/** alice's tokens, sessions and interactions that would still work (consumed ones are revoked too). */
async function liveCredentialsOfAlice(): Promise<unknown[]> {
  return world.server.deps.db('tokens').where({ subject_kind: 'user', subject_id: world.ids[alice.username] }).whereNull('revoked_at').select('kind');
}

const racing = { 'a password change': () => ({ password: (password = `${password}!`) }), 'a deactivation': () => ({ activated: false }) };

const signIns: Record<string, (pw: string) => Promise<{ status: number; text: string }>> = {
  'Usergrid password grant': (pw) => world.http.post('/acme/app/token', { json: { grant_type: 'password', username: alice.username, password: pw } }),
  'QuickBlox session with a user': (pw) =>
    world.http.post('/session.json', { form: formOf(sessionRequest(world.acme, world.clock, { user: { login: alice.username, password: pw } })) }),
  'OAuth password grant': (pw) =>
    world.http.post('/oauth/token', { form: { grant_type: 'password', username: alice.username, password: pw, scope: 'read write' }, headers: { authorization: basic(world.confidential.client_id, world.confidential.client_secret!) } }),
};

describe('a sign-in racing a change of the account', () => {
  for (const [what, makeChange] of Object.entries(racing)) {
    for (const [route, signIn] of Object.entries(signIns)) {
      it(`${route}: fails and leaves no live credential when ${what} lands between the password check and the issue`, async () => {
        const before = password;
        change = makeChange();
        const answer = await signIn(before);
        expect(change, 'the change ran inside the sign-in').toBeUndefined();
        expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
        expect(answer.status, answer.text).toBeLessThan(500);
        expect(await liveCredentialsOfAlice()).toEqual([]);
      });
    }
  }

  it('QuickBlox login.json: the session is revoked, not left signed in to the changed account', async () => {
    const opened = await world.http.post('/session.json', { form: formOf(sessionRequest(world.acme, world.clock)) });
    expect(opened.status, opened.text).toBe(201);
    const session = opened.body.session.token as string;
    const before = password;
    change = racing['a password change']();
    const login = await world.http.post('/login.json', { form: { login: alice.username, password: before }, headers: { 'QB-Token': session } });
    expect(login.status, login.text).toBe(401);
    const after = await world.http.get('/users.json', { headers: { 'QB-Token': session } });
    expect(after.status, after.text).toBe(401);
    expect(await liveCredentialsOfAlice()).toEqual([]);
  });
});

describe('an admin sign-in racing a change of the admin', () => {
  it("fails and leaves no live admin token when the admin's password changes between the password check and the issue", async () => {
    const admin = world.acme.admin;
    const superuserToken = (await world.http.post('/management/token', { json: { grant_type: 'password', username: 'superuser', password: 'superuser-password' } })).body.access_token as string;
    adminChange = () => world.http.put(`/management/users/${admin.username}/password`, { json: { newpassword: `${admin.password}-changed` }, token: superuserToken });
    const signIn = await world.http.post('/management/token', { json: { grant_type: 'password', username: admin.username, password: admin.password } });
    expect(signIn.status, signIn.text).toBe(400);
    expect(signIn.body).toMatchObject({ error: 'invalid_grant' });
    const live = await world.server.deps.db('tokens').where({ subject_kind: 'admin' }).whereNull('revoked_at').join('admin_users', 'admin_users.id', 'tokens.subject_id').where('admin_users.username', admin.username).select('tokens.id');
    expect(live).toEqual([]);
  });
});
