import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm } from '../helpers/api.js';
import { basic } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { adminSignIn, type UsergridTokenRequest } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';
import { issued } from './support.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world.server.close());

const query = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('getManagementToken', () => {
  it('issues an admin token for a password grant in the query string, the email standing for the username (§8 #2)', async () => {
    const { data, response } = await world.api().GET('/management/token', {
      params: { query: { grant_type: 'password', username: world.acme.admin.email, password: world.acme.admin.password } },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(data).toMatchObject({ access_token: expect.stringMatching(/^tsr_at_/), expires_in: 604800, user: { username: world.acme.admin.username } });
    const admin = issued(data, 'user');
    expect(admin.passwordChanged).toEqual(expect.any(Number));
    expect((await world.api(admin.access_token).GET('/management/orgs/{org}', { params: { path: { org: 'acme' } } })).response.status).toBe(200);
  });

  it('answers 400 invalid_grant for a wrong password (§8 #3)', async () => {
    const { error, response } = await world.api().GET('/management/token', {
      params: { query: { grant_type: 'password', username: world.acme.admin.email, password: 'wrong-password' } },
    });
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ error: 'invalid_grant', error_description: 'invalid username or password' });
  });

  it('gives an admin who sends their token and no grant a new token for themselves (§8 #9)', async () => {
    const { data, response } = await world.api().GET('/management/token', { params: { query: { access_token: world.acme.admin.token } } });
    expect(response.status).toBe(200);
    const admin = issued(data, 'user');
    expect(admin.access_token).not.toBe(world.acme.admin.token);
    expect(admin.user.username).toBe(world.acme.admin.username);
    expect(admin.user.organizations.acme?.name).toBe('acme');
    const shorter = await world.api(world.acme.admin.token).GET('/management/token', { params: { query: { ttl: 60000 } } });
    expect(shorter.data?.expires_in).toBe(60);
  });

  it('never gives a token that outlives the one presented for it', async () => {
    const hour = await adminSignIn(world.http, world.acme, { ttl: 3_600_000 });
    const renewed = await world.api(hour).GET('/management/token', {});
    expect(issued(renewed.data, 'user').expires_in).toBe(3600);
    // Asked for longer, still no longer.
    const asked = await world.api(hour).GET('/management/token', { params: { query: { ttl: 7_200_000 } } });
    expect(issued(asked.data, 'user').expires_in).toBe(3600);
    // A token of the default 7 days buys one of 7 days (this world's clock stands still).
    const full = await world.api(world.acme.admin.token).GET('/management/token', {});
    expect(issued(full.data, 'user').expires_in).toBe(604800);
  });

  it('refuses a request without grant_type from anyone who is not an admin with 400 invalid_request', async () => {
    const { error, response } = await world.api().GET('/management/token');
    expect(response.status).toBe(400);
    expect(error?.error).toBe('invalid_request');
    expect(error?.error_description).toMatch(/grant_type/);
  });

  it('refuses a ttl that is not a number with 400 and says what is wrong', async () => {
    // Raw: ttl is an integer in the spec, and this test sends a word.
    const answer = await world.http.get(`/management/token?${query({ grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password, ttl: 'derp' })}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/ttl/);
  });

  it('issues an organization client token for client_credentials in the query string', async () => {
    const { data, response } = await world.api().GET('/management/token', {
      params: { query: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: world.acme.clientSecret } },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ expires_in: 604800, organization: { name: 'acme' } });
    expect(issued(data, 'organization').organization.applications).toHaveProperty('acme/app');
  });

  it('answers 401 invalid_client for a wrong client secret in the query string', async () => {
    const { error, response } = await world.api().GET('/management/token', {
      params: { query: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: 'tsr_cs_wrong' } },
    });
    expect(response.status).toBe(401);
    expect(error?.error).toBe('invalid_client');
  });
});

describe('createManagementToken', () => {
  it('issues an admin token for a JSON password grant, with the admin and their organizations (§8 #1)', async () => {
    const { data, response } = await world.api().POST('/management/token', {
      body: { grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ expires_in: 604800, user: { uuid: expect.any(String), organizations: { acme: { name: 'acme' } } } });
    expect(issued(data, 'user').passwordChanged).toEqual(expect.any(Number));
  });

  it('refuses a ttl that is not a number (§8 #4) and one over the maximum (§8 #5) with 400', async () => {
    const login: UsergridTokenRequest = { grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password };
    // Raw: the spec types ttl as an integer, at least 0; these three break that on purpose.
    const derp = await world.http.post('/management/token', { json: { ...login, ttl: 'derp' } });
    expect(derp.status).toBe(400);
    expect(derp.body.error_description).toMatch(/ttl/);
    // Usergrid's test sends the number as a string; JSON fields are typed here, so that is a 400 on its type.
    const huge = await world.http.post('/management/token', { json: { ...login, ttl: '9223372036854775807' } });
    expect(huge.status).toBe(400);
    expect(huge.body.error_description).toMatch(/ttl/);
    // A number the spec allows, and a rule of the server refuses.
    const over = await world.api().POST('/management/token', { body: { ...login, ttl: 9223372036854775807 } });
    expect(over.response.status).toBe(400);
    expect(over.error).toMatchObject({ error: 'illegal_argument', error_description: 'Your token age cannot be more than the maximum age of 604800000 milliseconds' });
    const negative = await world.http.post('/management/token', { json: { ...login, ttl: -5 } });
    expect(negative.status).toBe(400);
    expect(negative.body.error_description).toMatch(/ttl/);
  });

  it('issues an organization client token for client_credentials in a JSON body', async () => {
    const { data, response } = await world.api().POST('/management/token', {
      body: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: world.acme.clientSecret },
    });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ access_token: expect.stringMatching(/^tsr_at_/), expires_in: 604800, organization: { name: 'acme' } });
    const apps = await world.api(issued(data, 'organization').access_token).GET('/management/orgs/{org}/apps', { params: { path: { org: 'acme' } } });
    expect(apps.response.status).toBe(200);
  });

  it('issues an application client token, naming the application by its uuid, for a form body', async () => {
    const { data, response } = await world.api().POST('/management/token', {
      body: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret },
      ...asForm,
    });
    expect(response.status).toBe(200);
    expect(data).toEqual({ access_token: expect.any(String), expires_in: 604800, application: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await world.api(issued(data, 'application').access_token).GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status).toBe(200);
  });

  it('takes the client from Authorization: Basic with a JSON grant (§8 #19), decoding it as form-urlencoded', async () => {
    const viaBasic = (secret: string) =>
      world.api().POST('/management/token', { body: { grant_type: 'client_credentials' }, headers: { authorization: basic(world.acme.clientId, secret) } });
    const { data, response } = await viaBasic(world.acme.clientSecret);
    expect(response.status).toBe(200);
    expect(issued(data, 'organization').organization.name).toBe('acme');
    expect(data).not.toHaveProperty('error');

    // RFC 6749 Appendix B: a secret with reserved characters travels form-urlencoded inside the Basic pair.
    const odd = 'tsr_cs_a+b c:d%e/f';
    const organization = (await world.server.deps.repositories.organizations.find('acme'))!;
    const { sha256 } = await import('../../src/secrets/digest.js');
    await world.server.deps.repositories.organizations.setClientSecretHash(organization.id, sha256(odd), Date.now());
    try {
      const encoded = await viaBasic(odd);
      expect(encoded.response.status).toBe(200);
    } finally {
      await world.server.deps.repositories.organizations.setClientSecretHash(organization.id, sha256(world.acme.clientSecret), Date.now());
    }
  });

  it('answers 401 invalid_client with a Basic challenge for a wrong pair in Basic, and with a bearer-free body for one in the body', async () => {
    const inBasic = await world.api().POST('/management/token', {
      body: { grant_type: 'client_credentials' },
      headers: { authorization: basic(world.acme.clientId, 'tsr_cs_wrong') },
    });
    expect(inBasic.response.status).toBe(401);
    expect(inBasic.error?.error).toBe('invalid_client');
    expect(inBasic.response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const inBody = await world.api().POST('/management/token', { body: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: 'tsr_cs_wrong' } });
    expect(inBody.response.status).toBe(401);
    expect(inBody.error?.error).toBe('invalid_client');
    const unknown = await world.api().POST('/management/token', { body: { grant_type: 'client_credentials', client_id: 'YXA6nobody', client_secret: 'tsr_cs_wrong' } });
    expect(unknown.response.status).toBe(401);
    expect(inBody.error?.error_description).toEqual(expect.any(String));
    expect(unknown.error?.error_description).toBe(inBody.error?.error_description);
  });

  it('answers 401 invalid_client when client_credentials comes with no client at all', async () => {
    const { error, response } = await world.api().POST('/management/token', { body: { grant_type: 'client_credentials' } });
    expect(response.status).toBe(401);
    expect(error?.error).toBe('invalid_client');
  });

  it('refuses client credentials sent by two mechanisms with 400 invalid_request (RFC 6749 §2.3)', async () => {
    // Raw: the pair in the body and in Basic at once, which the spec forbids ("never both").
    const answer = await world.http.post('/management/token', {
      json: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: world.acme.clientSecret },
      headers: { authorization: basic(world.acme.clientId, world.acme.clientSecret) },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('refuses an unknown grant_type with 400', async () => {
    // Raw: grant_type is an enum in the spec, and `pin` is not in it.
    const answer = await world.http.post('/management/token', { json: { grant_type: 'pin', username: 'x', password: 'y' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/grant_type/);
  });
});

describe('getManagementMe', () => {
  it('answers an admin token with that same token, its lifetime and the admin (§8 #7)', async () => {
    const token = await adminSignIn(world.http, world.acme, { ttl: 3_600_000 });
    const { data, response } = await world.api(token).GET('/management/me');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ access_token: token, expires_in: 3600, passwordChanged: expect.any(Number) });
    const admin = issued(data, 'user');
    expect(admin.user).toMatchObject({ uuid: expect.any(String), username: world.acme.admin.username, email: world.acme.admin.email, name: expect.any(String) });
    expect(admin.user.organizations.acme?.name).toBe('acme');
    const byQuery = await world.api().GET('/management/me', { params: { query: { access_token: token } } });
    expect(byQuery.data?.access_token).toBe(token);
  });

  it('works as GET /management/token for a caller without an admin token', async () => {
    const { data, response } = await world.api().GET('/management/me', {
      params: { query: { grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password } },
    });
    expect(response.status).toBe(200);
    expect(data?.access_token).toMatch(/^tsr_at_/);
    expect((await world.api().GET('/management/me')).response.status).toBe(400);
  });
});

describe('createManagementMe', () => {
  it('issues a token for a form password grant, which then works on GET /management/me (§8 #8)', async () => {
    const { data, response } = await world.api().POST('/management/me', {
      body: { grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password },
      ...asForm,
    });
    expect(response.status).toBe(200);
    const token = issued(data, 'user').access_token;
    const me = await world.api(token).GET('/management/me');
    expect(me.response.status).toBe(200);
    expect(me.data?.access_token).toBe(token);
  });

  it('answers an admin token sent in the form body with that token', async () => {
    const token = await adminSignIn(world.http, world.acme);
    const { data, response } = await world.api().POST('/management/me', { body: { access_token: token }, ...asForm });
    expect(response.status).toBe(200);
    expect(data?.access_token).toBe(token);
  });
});
