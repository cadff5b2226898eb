import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/server.js';
import { adminSignIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let w: World;
beforeAll(async () => {
  w = await startWorld({ clock });
});
afterAll(() => w.server.close());

const adminPath = (user: string) => ({ params: { path: { user } } });
const managementGrant = (username: string, password: string) => w.api().POST('/management/token', { body: { grant_type: 'password', username, password } });
const whoAmI = (token: string) => w.api(token).GET('/management/me');

describe('changeAdminUserPassword', () => {
  it('changes the admin’s own password with the old one, keeps the token that sent it and revokes the admin’s other tokens', async () => {
    const { username, password } = w.acme.admin;
    const sender = await adminSignIn(w.http, w.acme);
    const other = await adminSignIn(w.http, w.acme);
    const { data, response } = await w.api(sender).PUT('/management/users/{user}/password', { ...adminPath('me'), body: { oldpassword: password, newpassword: 'acme-admin-new-password' } });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ action: 'set user password', timestamp: expect.any(Number) });
    expect((await whoAmI(sender)).response.status).toBe(200);
    expect((await whoAmI(other)).response.status).toBe(401);
    expect((await managementGrant(username, password)).response.status).toBe(400);
    expect((await managementGrant(username, 'acme-admin-new-password')).response.status).toBe(200);
    w.acme.admin.password = 'acme-admin-new-password';
  });

  it('answers a missing or wrong oldpassword with 400 invalid_grant, counted under the brute-force guard', async () => {
    const { username, password } = w.globex.admin;
    const token = await adminSignIn(w.http, w.globex);
    const change = (body: { oldpassword?: string; newpassword: string }) => w.api(token).PUT('/management/users/{user}/password', { ...adminPath(username), body });
    const missing = await change({ newpassword: 'globex-new-password' });
    expect(missing.response.status).toBe(400);
    expect(missing.error).toMatchObject({ error: 'invalid_grant', timestamp: expect.any(Number) });
    for (let i = 0; i < 5; i++) expect((await change({ oldpassword: `wrong-guess-${i}`, newpassword: 'globex-new-password' })).response.status).toBe(400);
    const refused = await change({ oldpassword: password, newpassword: 'globex-new-password' });
    expect(refused.response.status).toBe(429);
    expect((await managementGrant(username, password)).response.status).toBe(429);
    clock.advance(Number(refused.response.headers.get('retry-after')) * 1000);
    // Nothing changed meanwhile: the old password still signs in.
    expect((await managementGrant(username, password)).response.status).toBe(200);
    expect((await whoAmI(token)).response.status).toBe(200);
  });

  it('lets the superuser set another admin’s password without the old one, revoking every token of that admin', async () => {
    const token = await adminSignIn(w.http, w.acme);
    const { response } = await w.api(w.root).PUT('/management/users/{user}/password', { ...adminPath(w.acme.admin.username), body: { newpassword: 'set-by-the-superuser' } });
    expect(response.status).toBe(200);
    expect((await whoAmI(token)).response.status).toBe(401);
    expect((await managementGrant(w.acme.admin.username, 'set-by-the-superuser')).response.status).toBe(200);
    w.acme.admin.password = 'set-by-the-superuser';
  });

  it('refuses another admin’s password (403), no token (401), an unknown admin (404) and bad input (400), changing nothing', async () => {
    const acme = await adminSignIn(w.http, w.acme);
    const body = { oldpassword: 'whatever-it-is', newpassword: 'taken-over-password' };
    expect((await w.api(acme).PUT('/management/users/{user}/password', { ...adminPath(w.globex.admin.username), body })).response.status).toBe(403);
    expect((await w.api().PUT('/management/users/{user}/password', { ...adminPath(w.globex.admin.username), body })).response.status).toBe(401);
    const missing = await w.api(w.root).PUT('/management/users/{user}/password', { ...adminPath('nobody'), body: { newpassword: 'some-new-password' } });
    expect(missing.response.status).toBe(404);
    for (const bad of [{}, { newpassword: 'short' }, { newpassword: 'long-enough-password', extra: true }]) {
      const answer = await w.http.put('/management/users/me/password', { json: bad, token: acme });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: expect.any(String), error_description: expect.any(String), timestamp: expect.any(Number) });
    }
    expect((await managementGrant(w.globex.admin.username, w.globex.admin.password)).response.status).toBe(200);
    expect((await whoAmI(acme)).response.status).toBe(200);
  });
});
