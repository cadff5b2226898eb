import { describe, expect, it } from 'vitest';
import { adminSignIn, basic, tokenWorld } from './support.js';

const world = tokenWorld();

const query = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe('getManagementToken', () => {
  it('issues an admin token for a password grant in the query string, the email standing for the username (§8 #2)', async () => {
    const answer = await world.http.get(`/management/token?${query({ grant_type: 'password', username: world.acme.admin.email, password: world.acme.admin.password })}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toMatchObject({ access_token: expect.stringMatching(/^tsr_at_/), expires_in: 604800, user: { username: world.acme.admin.username } });
    expect(answer.body.passwordChanged).toEqual(expect.any(Number));
    expect((await world.http.get('/management/orgs/acme', { token: answer.body.access_token })).status).toBe(200);
  });

  it('answers 400 invalid_grant for a wrong password (§8 #3)', async () => {
    const answer = await world.http.get(`/management/token?${query({ grant_type: 'password', username: world.acme.admin.email, password: 'wrong-password' })}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_grant', error_description: 'invalid username or password' });
  });

  it('gives an admin who sends their token and no grant a new token for themselves (§8 #9)', async () => {
    const answer = await world.http.get(`/management/token?access_token=${world.acme.admin.token}`);
    expect(answer.status).toBe(200);
    expect(answer.body.access_token).not.toBe(world.acme.admin.token);
    expect(answer.body.user.username).toBe(world.acme.admin.username);
    expect(answer.body.user.organizations.acme.name).toBe('acme');
    const shorter = await world.http.get('/management/token?ttl=60000', { token: world.acme.admin.token });
    expect(shorter.body.expires_in).toBe(60);
  });

  it('refuses a request without grant_type from anyone who is not an admin with 400 invalid_request', async () => {
    const answer = await world.http.get('/management/token');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
    expect(answer.body.error_description).toMatch(/grant_type/);
  });

  it('refuses a ttl that is not a number with 400 and says what is wrong', async () => {
    const answer = await world.http.get(`/management/token?${query({ grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password, ttl: 'derp' })}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/ttl/);
  });

  it('issues an organization client token for client_credentials in the query string', async () => {
    const answer = await world.http.get(`/management/token?${query({ grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: world.acme.clientSecret })}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ expires_in: 604800, organization: { name: 'acme' } });
    expect(answer.body.organization.applications).toHaveProperty('acme/app');
  });

  it('answers 401 invalid_client for a wrong client secret in the query string', async () => {
    const answer = await world.http.get(`/management/token?${query({ grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: 'tsr_cs_wrong' })}`);
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_client');
  });
});

describe('createManagementToken', () => {
  it('issues an admin token for a JSON password grant, with the admin and their organizations (§8 #1)', async () => {
    const answer = await world.http.post('/management/token', { json: { grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ expires_in: 604800, user: { uuid: expect.any(String), organizations: { acme: { name: 'acme' } } } });
    expect(answer.body.passwordChanged).toEqual(expect.any(Number));
  });

  it('refuses a ttl that is not a number (§8 #4) and one over the maximum (§8 #5) with 400', async () => {
    const login = { grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password };
    const derp = await world.http.post('/management/token', { json: { ...login, ttl: 'derp' } });
    expect(derp.status).toBe(400);
    expect(derp.body.error_description).toMatch(/ttl/);
    // Usergrid's test sends the number as a string; JSON fields are typed here, so that is a 400 on its type.
    const huge = await world.http.post('/management/token', { json: { ...login, ttl: '9223372036854775807' } });
    expect(huge.status).toBe(400);
    expect(huge.body.error_description).toMatch(/ttl/);
    const over = await world.http.post('/management/token', { json: { ...login, ttl: 9223372036854775807 } });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ error: 'illegal_argument', error_description: 'Your token age cannot be more than the maximum age of 604800000 milliseconds' });
    const negative = await world.http.post('/management/token', { json: { ...login, ttl: -5 } });
    expect(negative.status).toBe(400);
    expect(negative.body.error_description).toMatch(/ttl/);
  });

  it('issues an organization client token for client_credentials in a JSON body', async () => {
    const answer = await world.http.post('/management/token', { json: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: world.acme.clientSecret } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ access_token: expect.stringMatching(/^tsr_at_/), expires_in: 604800, organization: { name: 'acme' } });
    expect((await world.http.get('/management/orgs/acme/apps', { token: answer.body.access_token })).status).toBe(200);
  });

  it('issues an application client token, naming the application by its uuid, for a form body', async () => {
    const answer = await world.http.post('/management/token', { form: { grant_type: 'client_credentials', client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ access_token: expect.any(String), expires_in: 604800, application: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect((await world.http.get(`/acme/app/users`, { token: answer.body.access_token })).status).toBe(200);
  });

  it('takes the client from Authorization: Basic with a JSON grant (§8 #19), decoding it as form-urlencoded', async () => {
    const answer = await world.http.post('/management/token', { json: { grant_type: 'client_credentials' }, headers: { authorization: basic(world.acme.clientId, world.acme.clientSecret) } });
    expect(answer.status).toBe(200);
    expect(answer.body.organization.name).toBe('acme');
    expect(answer.body).not.toHaveProperty('error');

    // RFC 6749 Appendix B: a secret with reserved characters travels form-urlencoded inside the Basic pair.
    const odd = 'tsr_cs_a+b c:d%e/f';
    const organization = (await world.server.deps.repositories.organizations.find('acme'))!;
    const { sha256 } = await import('../../src/secrets/random.js');
    await world.server.deps.repositories.organizations.setClientSecretHash(organization.id, sha256(odd), Date.now());
    try {
      const encoded = await world.http.post('/management/token', { json: { grant_type: 'client_credentials' }, headers: { authorization: basic(world.acme.clientId, odd) } });
      expect(encoded.status).toBe(200);
    } finally {
      await world.server.deps.repositories.organizations.setClientSecretHash(organization.id, sha256(world.acme.clientSecret), Date.now());
    }
  });

  it('answers 401 invalid_client with a Basic challenge for a wrong pair in Basic, and with a bearer-free body for one in the body', async () => {
    const inBasic = await world.http.post('/management/token', { json: { grant_type: 'client_credentials' }, headers: { authorization: basic(world.acme.clientId, 'tsr_cs_wrong') } });
    expect(inBasic.status).toBe(401);
    expect(inBasic.body.error).toBe('invalid_client');
    expect(inBasic.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const inBody = await world.http.post('/management/token', { json: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: 'tsr_cs_wrong' } });
    expect(inBody.status).toBe(401);
    expect(inBody.body.error).toBe('invalid_client');
    const unknown = await world.http.post('/management/token', { json: { grant_type: 'client_credentials', client_id: 'YXA6nobody', client_secret: 'tsr_cs_wrong' } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error_description).toBe(inBody.body.error_description);
  });

  it('answers 401 invalid_client when client_credentials comes with no client at all', async () => {
    const answer = await world.http.post('/management/token', { json: { grant_type: 'client_credentials' } });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_client');
  });

  it('refuses client credentials sent by two mechanisms with 400 invalid_request (RFC 6749 §2.3)', async () => {
    const answer = await world.http.post('/management/token', {
      json: { grant_type: 'client_credentials', client_id: world.acme.clientId, client_secret: world.acme.clientSecret },
      headers: { authorization: basic(world.acme.clientId, world.acme.clientSecret) },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('refuses an unknown grant_type with 400', async () => {
    const answer = await world.http.post('/management/token', { json: { grant_type: 'pin', username: 'x', password: 'y' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/grant_type/);
  });
});

describe('getManagementMe', () => {
  it('answers an admin token with that same token, its lifetime and the admin (§8 #7)', async () => {
    const token = await adminSignIn(world.http, world.acme, { ttl: 3_600_000 });
    const answer = await world.http.get('/management/me', { token });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ access_token: token, expires_in: 3600, passwordChanged: expect.any(Number) });
    expect(answer.body.user).toMatchObject({ uuid: expect.any(String), username: world.acme.admin.username, email: world.acme.admin.email, name: expect.any(String) });
    expect(answer.body.user.organizations.acme.name).toBe('acme');
    const byQuery = await world.http.get(`/management/me?access_token=${token}`);
    expect(byQuery.body.access_token).toBe(token);
  });

  it('works as GET /management/token for a caller without an admin token', async () => {
    const answer = await world.http.get(`/management/me?${query({ grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password })}`);
    expect(answer.status).toBe(200);
    expect(answer.body.access_token).toMatch(/^tsr_at_/);
    expect((await world.http.get('/management/me')).status).toBe(400);
  });
});

describe('createManagementMe', () => {
  it('issues a token for a form password grant, which then works on GET /management/me (§8 #8)', async () => {
    const answer = await world.http.post('/management/me', { form: { grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password } });
    expect(answer.status).toBe(200);
    const me = await world.http.get('/management/me', { token: answer.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body.access_token).toBe(answer.body.access_token);
  });

  it('answers an admin token sent in the form body with that token', async () => {
    const token = await adminSignIn(world.http, world.acme);
    const answer = await world.http.post('/management/me', { form: { access_token: token } });
    expect(answer.status).toBe(200);
    expect(answer.body.access_token).toBe(token);
  });
});
