import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { adminSignIn, createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { issued } from './support.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ users: { acme: ['edanuff', 'mallory', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'] } });
});
afterAll(() => world.server.close());

/** A user of acme's application, as the path of the user operations names them. */
const acmeUser = (user: string) => ({ path: { ...acmeApp, user } });
/** An admin user, as the path of the admin revocation operations names them (`me`: the caller). */
const adminUser = (user: string) => ({ path: { user } });

/** What a request with the token answers now: reading a user of acme's application, or an organization. */
const statusWith = async (token: string, user = 'edanuff') => (await world.api(token).GET('/{org}/{app}/users/{user}', { params: acmeUser(user) })).response.status;
const orgsWith = async (token: string, org = 'acme') => (await world.api(token).GET('/management/orgs/{org}', { params: { path: { org } } })).response.status;

describe('revokeUserTokens', () => {
  it("lets an admin revoke every token of a user, whatever the body says (§8 #26); the tokens fail at once", async () => {
    const [t1, t2] = [await signIn(world.http, world.acme, 'edanuff'), await signIn(world.http, world.acme, 'edanuff')];
    expect(await statusWith(t1)).toBe(200);
    const { data, response } = await world.api(world.acme.admin.token).POST('/{org}/{app}/users/{user}/revoketokens', { params: acmeUser('edanuff'), body: { token: t1 } });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ action: 'revoked user tokens', organization: 'acme', applicationName: 'app', application: expect.any(String) });
    expect(await statusWith(t1)).toBe(401);
    expect(await statusWith(t2)).toBe(401);
  });

  it("lets a user log themselves out everywhere through /users/me, sending the token in a form body", async () => {
    const [t1, t2] = [await signIn(world.http, world.acme, 'erin'), await signIn(world.http, world.acme, 'erin')];
    const { response } = await world.api().POST('/{org}/{app}/users/{user}/revoketokens', { params: acmeUser('me'), body: { access_token: t1 }, ...asForm });
    expect(response.status).toBe(200);
    expect(await statusWith(t1, 'erin')).toBe(401);
    expect(await statusWith(t2, 'erin')).toBe(401);
  });

  it("refuses a user revoking another user's tokens with 403, the hole Usergrid leaves open", async () => {
    const victim = await signIn(world.http, world.acme, 'frank');
    const mallory = world.api(await signIn(world.http, world.acme, 'mallory'));
    const answers = [
      await mallory.POST('/{org}/{app}/users/{user}/revoketokens', { params: acmeUser('frank') }),
      await mallory.PUT('/{org}/{app}/users/{user}/revoketokens', { params: acmeUser('frank') }),
    ];
    for (const answer of answers) expect(answer.response.status).toBe(403);
    // Whether or not the user exists, an outsider learns nothing.
    expect((await mallory.POST('/{org}/{app}/users/{user}/revoketokens', { params: acmeUser('nobody') })).response.status).toBe(403);
    expect(await statusWith(victim, 'frank')).toBe(200);
  });

  it('refuses the admin of another organization with 403, and anonymous callers with 401', async () => {
    expect((await world.api(world.globex.admin.token).POST('/{org}/{app}/users/{user}/revoketokens', { params: acmeUser('frank') })).response.status).toBe(403);
    expect((await world.api().POST('/{org}/{app}/users/{user}/revoketokens', { params: acmeUser('frank') })).response.status).toBe(401);
  });

  it('works with PUT as with POST, and answers an admin 404 for an unknown user', async () => {
    const token = await signIn(world.http, world.acme, 'grace');
    const admin = world.api(world.acme.admin.token);
    expect((await admin.PUT('/{org}/{app}/users/{user}/revoketokens', { params: acmeUser('grace') })).response.status).toBe(200);
    expect(await statusWith(token, 'grace')).toBe(401);
    expect((await admin.POST('/{org}/{app}/users/{user}/revoketokens', { params: acmeUser('nobody') })).response.status).toBe(404);
  });
});

describe('revokeUserTokensByPut', () => {
  it('lets a user log themselves out everywhere with PUT on their own name', async () => {
    const token = await signIn(world.http, world.acme, 'heidi');
    expect((await world.api(token).PUT('/{org}/{app}/users/{user}/revoketokens', { params: acmeUser('heidi') })).response.status).toBe(200);
    expect(await statusWith(token, 'heidi')).toBe(401);
  });
});

/** POST /{org}/{app}/users/{user}/revoketoken?token=…, as `caller`. */
const revokeOne = (caller: string, user: string, token: string) =>
  world.api(caller).POST('/{org}/{app}/users/{user}/revoketoken', { params: { ...acmeUser(user), query: { token } } });

describe('revokeUserToken', () => {
  it('revokes the one token named and leaves the user’s others working', async () => {
    const [t1, t2] = [await signIn(world.http, world.acme, 'ivan'), await signIn(world.http, world.acme, 'ivan')];
    const { data, response } = await revokeOne(t2, 'ivan', t1);
    expect(response.status).toBe(200);
    expect(data?.action).toBe('revoked user token');
    expect(await statusWith(t1, 'ivan')).toBe(401);
    expect(await statusWith(t2, 'ivan')).toBe(200);
  });

  it("answers 404, alike, for another user's token, an unknown one and a revoked one", async () => {
    const judy = await signIn(world.http, world.acme, 'judy');
    const ivan = await signIn(world.http, world.acme, 'ivan');
    const revoked = await signIn(world.http, world.acme, 'judy');
    await revokeOne(world.acme.admin.token, 'judy', revoked);
    const answers = [await revokeOne(judy, 'judy', ivan), await revokeOne(judy, 'judy', 'tsr_at_never-issued'), await revokeOne(judy, 'judy', revoked)];
    expect(answers[0]!.error?.error_description).toEqual(expect.any(String));
    for (const answer of answers) {
      expect(answer.response.status).toBe(404);
      expect(answer.error?.error_description).toBe(answers[0]!.error?.error_description);
    }
    expect(await statusWith(ivan, 'ivan')).toBe(200);
  });

  it('refuses a request without the token to revoke with 400', async () => {
    // Raw: the spec makes `token` a required query parameter, and this test leaves it out.
    const answer = await world.http.post('/acme/app/users/judy/revoketoken', { token: world.acme.admin.token });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/token/);
  });
});

describe('revokeUserTokenByPut', () => {
  it('revokes one token with PUT as with POST', async () => {
    const token = await signIn(world.http, world.acme, 'judy');
    const { response } = await world.api(world.acme.admin.token).PUT('/{org}/{app}/users/{user}/revoketoken', { params: { ...acmeUser('judy'), query: { token } } });
    expect(response.status).toBe(200);
    expect(await statusWith(token, 'judy')).toBe(401);
  });
});

describe('changing a password or deactivating a user', () => {
  it("revokes the user's tokens at once", async () => {
    await createUser(world.http, world.acme, 'kim');
    const token = await signIn(world.http, world.acme, 'kim');
    const admin = world.api(world.acme.admin.token);
    expect((await admin.PUT('/{org}/{app}/users/{user}', { params: acmeUser('kim'), body: { password: 'a-brand-new-password' } })).response.status).toBe(200);
    expect(await statusWith(token, 'kim')).toBe(401);
    const again = await world.api().POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username: 'kim', password: 'a-brand-new-password' } });
    expect((await admin.PUT('/{org}/{app}/users/{user}', { params: acmeUser('kim'), body: { activated: false } })).response.status).toBe(200);
    expect(await statusWith(issued(again.data, 'user').access_token, 'kim')).toBe(401);
  });
});

describe('revokeAdminUserTokens', () => {
  it("lets the superuser revoke every token of an admin (§8 #10)", async () => {
    const [t1, t2] = [await adminSignIn(world.http, world.acme), await adminSignIn(world.http, world.acme)];
    const { data, response } = await world.api(world.root).POST('/management/users/{user}/revoketokens', { params: adminUser(world.acme.admin.username) });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ action: 'revoked user tokens', timestamp: expect.any(Number), duration: expect.any(Number) });
    expect(await orgsWith(t1)).toBe(401);
    expect(await orgsWith(t2)).toBe(401);
    world.acme.admin.token = await adminSignIn(world.http, world.acme);
  });

  it('lets an admin log themselves out everywhere through /management/users/me', async () => {
    const token = await adminSignIn(world.http, world.globex);
    expect((await world.api(token).POST('/management/users/{user}/revoketokens', { params: adminUser('me') })).response.status).toBe(200);
    expect(await orgsWith(token, 'globex')).toBe(401);
    expect(await orgsWith(world.globex.admin.token, 'globex')).toBe(401);
    world.globex.admin.token = await adminSignIn(world.http, world.globex);
  });

  it("refuses an admin revoking another admin's tokens with 403, and an application user's token too", async () => {
    const revokeAll = (caller: string, user: string) => world.api(caller).POST('/management/users/{user}/revoketokens', { params: adminUser(user) });
    expect((await revokeAll(world.globex.admin.token, world.acme.admin.username)).response.status).toBe(403);
    expect((await revokeAll(world.globex.admin.token, world.acme.admin.email)).response.status).toBe(403);
    const user = await signIn(world.http, world.acme, 'edanuff');
    expect((await revokeAll(user, world.acme.admin.username)).response.status).toBe(403);
    expect(await orgsWith(world.acme.admin.token)).toBe(200);
  });

  it('answers the superuser 404 for an unknown admin', async () => {
    expect((await world.api(world.root).POST('/management/users/{user}/revoketokens', { params: adminUser('nobody') })).response.status).toBe(404);
  });
});

describe('revokeAdminUserTokensByPut', () => {
  it('revokes with PUT as with POST', async () => {
    const token = await adminSignIn(world.http, world.globex);
    expect((await world.api(token).PUT('/management/users/{user}/revoketokens', { params: adminUser(world.globex.admin.username) })).response.status).toBe(200);
    expect(await orgsWith(token, 'globex')).toBe(401);
    world.globex.admin.token = await adminSignIn(world.http, world.globex);
  });
});

describe('revokeAdminUserToken', () => {
  it('revokes one token of an admin and leaves the other working (§8 #11)', async () => {
    const [t1, t2] = [await adminSignIn(world.http, world.acme), await adminSignIn(world.http, world.acme)];
    const { data, response } = await world.api(world.root).POST('/management/users/{user}/revoketoken', {
      params: { ...adminUser(world.acme.admin.username), query: { token: t1 } },
    });
    expect(response.status).toBe(200);
    expect(data?.action).toBe('revoked user token');
    expect(await orgsWith(t1)).toBe(401);
    expect(await orgsWith(t2)).toBe(200);
  });

  it("answers 404 for a token that is not the admin's", async () => {
    const other = await adminSignIn(world.http, world.globex);
    const { response } = await world.api(world.acme.admin.token).POST('/management/users/{user}/revoketoken', { params: { ...adminUser('me'), query: { token: other } } });
    expect(response.status).toBe(404);
    expect(await orgsWith(other, 'globex')).toBe(200);
  });
});

describe('revokeAdminUserTokenByPut', () => {
  it('revokes one token with PUT as with POST', async () => {
    const token = await adminSignIn(world.http, world.acme);
    expect((await world.api(token).PUT('/management/users/{user}/revoketoken', { params: { ...adminUser('me'), query: { token } } })).response.status).toBe(200);
    expect(await orgsWith(token)).toBe(401);
  });
});
