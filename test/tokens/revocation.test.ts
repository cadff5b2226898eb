import { describe, expect, it } from 'vitest';
import { adminSignIn, createAppUser, signIn, tokenWorld } from './support.js';

const world = tokenWorld(['edanuff', 'mallory', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy']);

/** What a request with the token answers now. */
const statusWith = async (token: string, path = '/acme/app/users/edanuff') => (await world.http.get(path, { token })).status;
const orgsWith = (token: string) => statusWith(token, '/management/orgs/acme');

describe('revokeUserTokens', () => {
  it("lets an admin revoke every token of a user, whatever the body says (§8 #26); the tokens fail at once", async () => {
    const [t1, t2] = [await signIn(world.http, world.acme, 'edanuff'), await signIn(world.http, world.acme, 'edanuff')];
    expect(await statusWith(t1)).toBe(200);
    const answer = await world.http.post('/acme/app/users/edanuff/revoketokens', { token: world.acme.admin.token, json: { token: t1 } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ action: 'revoked user tokens', organization: 'acme', applicationName: 'app', application: expect.any(String) });
    expect(await statusWith(t1)).toBe(401);
    expect(await statusWith(t2)).toBe(401);
  });

  it("lets a user log themselves out everywhere through /users/me, sending the token in a form body", async () => {
    const [t1, t2] = [await signIn(world.http, world.acme, 'erin'), await signIn(world.http, world.acme, 'erin')];
    const answer = await world.http.post('/acme/app/users/me/revoketokens', { form: { access_token: t1 } });
    expect(answer.status).toBe(200);
    expect(await statusWith(t1, '/acme/app/users/erin')).toBe(401);
    expect(await statusWith(t2, '/acme/app/users/erin')).toBe(401);
  });

  it("refuses a user revoking another user's tokens with 403, the hole Usergrid leaves open", async () => {
    const victim = await signIn(world.http, world.acme, 'frank');
    const mallory = await signIn(world.http, world.acme, 'mallory');
    for (const method of ['post', 'put'] as const) {
      const answer = await world.http[method]('/acme/app/users/frank/revoketokens', { token: mallory });
      expect(answer.status).toBe(403);
    }
    // Whether or not the user exists, an outsider learns nothing.
    expect((await world.http.post('/acme/app/users/nobody/revoketokens', { token: mallory })).status).toBe(403);
    expect(await statusWith(victim, '/acme/app/users/frank')).toBe(200);
  });

  it('refuses the admin of another organization with 403, and anonymous callers with 401', async () => {
    expect((await world.http.post('/acme/app/users/frank/revoketokens', { token: world.globex.admin.token })).status).toBe(403);
    expect((await world.http.post('/acme/app/users/frank/revoketokens')).status).toBe(401);
  });

  it('works with PUT as with POST, and answers an admin 404 for an unknown user', async () => {
    const token = await signIn(world.http, world.acme, 'grace');
    expect((await world.http.put('/acme/app/users/grace/revoketokens', { token: world.acme.admin.token })).status).toBe(200);
    expect(await statusWith(token, '/acme/app/users/grace')).toBe(401);
    expect((await world.http.post('/acme/app/users/nobody/revoketokens', { token: world.acme.admin.token })).status).toBe(404);
  });
});

describe('revokeUserTokensByPut', () => {
  it('lets a user log themselves out everywhere with PUT on their own name', async () => {
    const token = await signIn(world.http, world.acme, 'heidi');
    expect((await world.http.put('/acme/app/users/heidi/revoketokens', { token })).status).toBe(200);
    expect(await statusWith(token, '/acme/app/users/heidi')).toBe(401);
  });
});

describe('revokeUserToken', () => {
  it('revokes the one token named and leaves the user’s others working', async () => {
    const [t1, t2] = [await signIn(world.http, world.acme, 'ivan'), await signIn(world.http, world.acme, 'ivan')];
    const answer = await world.http.post(`/acme/app/users/ivan/revoketoken?token=${t1}`, { token: t2 });
    expect(answer.status).toBe(200);
    expect(answer.body.action).toBe('revoked user token');
    expect(await statusWith(t1, '/acme/app/users/ivan')).toBe(401);
    expect(await statusWith(t2, '/acme/app/users/ivan')).toBe(200);
  });

  it("answers 404, alike, for another user's token, an unknown one and a revoked one", async () => {
    const judy = await signIn(world.http, world.acme, 'judy');
    const ivan = await signIn(world.http, world.acme, 'ivan');
    const revoked = await signIn(world.http, world.acme, 'judy');
    await world.http.post(`/acme/app/users/judy/revoketoken?token=${revoked}`, { token: world.acme.admin.token });
    const answers = [
      await world.http.post(`/acme/app/users/judy/revoketoken?token=${ivan}`, { token: judy }),
      await world.http.post('/acme/app/users/judy/revoketoken?token=tsr_at_never-issued', { token: judy }),
      await world.http.post(`/acme/app/users/judy/revoketoken?token=${revoked}`, { token: judy }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.body.error_description).toBe(answers[0]!.body.error_description);
    }
    expect(await statusWith(ivan, '/acme/app/users/ivan')).toBe(200);
  });

  it('refuses a request without the token to revoke with 400', async () => {
    const answer = await world.http.post('/acme/app/users/judy/revoketoken', { token: world.acme.admin.token });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/token/);
  });
});

describe('revokeUserTokenByPut', () => {
  it('revokes one token with PUT as with POST', async () => {
    const token = await signIn(world.http, world.acme, 'judy');
    expect((await world.http.put(`/acme/app/users/judy/revoketoken?token=${token}`, { token: world.acme.admin.token })).status).toBe(200);
    expect(await statusWith(token, '/acme/app/users/judy')).toBe(401);
  });
});

describe('changing a password or deactivating a user', () => {
  it("revokes the user's tokens at once", async () => {
    await createAppUser(world.http, world.acme, 'kim');
    const token = await signIn(world.http, world.acme, 'kim');
    expect((await world.http.put('/acme/app/users/kim', { token: world.acme.admin.token, json: { password: 'a-brand-new-password' } })).status).toBe(200);
    expect(await statusWith(token, '/acme/app/users/kim')).toBe(401);
    const again = await world.http.post('/acme/app/token', { json: { grant_type: 'password', username: 'kim', password: 'a-brand-new-password' } });
    expect((await world.http.put('/acme/app/users/kim', { token: world.acme.admin.token, json: { activated: false } })).status).toBe(200);
    expect(await statusWith(again.body.access_token, '/acme/app/users/kim')).toBe(401);
  });
});

describe('revokeAdminUserTokens', () => {
  it("lets the superuser revoke every token of an admin (§8 #10)", async () => {
    const [t1, t2] = [await adminSignIn(world.http, world.acme), await adminSignIn(world.http, world.acme)];
    const answer = await world.http.post(`/management/users/${world.acme.admin.username}/revoketokens`, { token: world.root });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ action: 'revoked user tokens', timestamp: expect.any(Number), duration: expect.any(Number) });
    expect(await orgsWith(t1)).toBe(401);
    expect(await orgsWith(t2)).toBe(401);
    world.acme.admin.token = await adminSignIn(world.http, world.acme);
  });

  it('lets an admin log themselves out everywhere through /management/users/me', async () => {
    const token = await adminSignIn(world.http, world.globex);
    expect((await world.http.post('/management/users/me/revoketokens', { token })).status).toBe(200);
    expect(await statusWith(token, '/management/orgs/globex')).toBe(401);
    expect(await statusWith(world.globex.admin.token, '/management/orgs/globex')).toBe(401);
    world.globex.admin.token = await adminSignIn(world.http, world.globex);
  });

  it("refuses an admin revoking another admin's tokens with 403, and an application user's token too", async () => {
    expect((await world.http.post(`/management/users/${world.acme.admin.username}/revoketokens`, { token: world.globex.admin.token })).status).toBe(403);
    expect((await world.http.post(`/management/users/${world.acme.admin.email}/revoketokens`, { token: world.globex.admin.token })).status).toBe(403);
    const user = await signIn(world.http, world.acme, 'edanuff');
    expect((await world.http.post(`/management/users/${world.acme.admin.username}/revoketokens`, { token: user })).status).toBe(403);
    expect(await orgsWith(world.acme.admin.token)).toBe(200);
  });

  it('answers the superuser 404 for an unknown admin', async () => {
    expect((await world.http.post('/management/users/nobody/revoketokens', { token: world.root })).status).toBe(404);
  });
});

describe('revokeAdminUserTokensByPut', () => {
  it('revokes with PUT as with POST', async () => {
    const token = await adminSignIn(world.http, world.globex);
    expect((await world.http.put(`/management/users/${world.globex.admin.username}/revoketokens`, { token })).status).toBe(200);
    expect(await statusWith(token, '/management/orgs/globex')).toBe(401);
    world.globex.admin.token = await adminSignIn(world.http, world.globex);
  });
});

describe('revokeAdminUserToken', () => {
  it('revokes one token of an admin and leaves the other working (§8 #11)', async () => {
    const [t1, t2] = [await adminSignIn(world.http, world.acme), await adminSignIn(world.http, world.acme)];
    const answer = await world.http.post(`/management/users/${world.acme.admin.username}/revoketoken?token=${t1}`, { token: world.root });
    expect(answer.status).toBe(200);
    expect(answer.body.action).toBe('revoked user token');
    expect(await orgsWith(t1)).toBe(401);
    expect(await orgsWith(t2)).toBe(200);
  });

  it("answers 404 for a token that is not the admin's", async () => {
    const other = await adminSignIn(world.http, world.globex);
    const answer = await world.http.post(`/management/users/me/revoketoken?token=${other}`, { token: world.acme.admin.token });
    expect(answer.status).toBe(404);
    expect(await statusWith(other, '/management/orgs/globex')).toBe(200);
  });
});

describe('revokeAdminUserTokenByPut', () => {
  it('revokes one token with PUT as with POST', async () => {
    const token = await adminSignIn(world.http, world.acme);
    expect((await world.http.put(`/management/users/me/revoketoken?token=${token}`, { token })).status).toBe(200);
    expect(await orgsWith(token)).toBe(401);
  });
});
