import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization } from '../helpers/fixtures.js';
import { introspect, oauthWorld, passwordTokens, token, type OAuthWorld } from './setup.js';

let world: OAuthWorld;

beforeAll(async () => {
  world = await oauthWorld();
});
afterAll(() => world.server.close());

const register = (body: Record<string, unknown>, adminToken = world.org.admin.token) =>
  world.http.post('/management/orgs/acme/apps/app/clients', { token: adminToken, json: body });

describe('createOAuthClient', () => {
  it('registers a client and shows its secret once, hashed at rest', async () => {
    const answer = await register({ name: 'Storefront', redirect_uris: ['https://shop.example/cb'] });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toEqual({
      client_id: expect.stringMatching(/^oc_[A-Za-z0-9_-]{22}$/), client_secret: expect.stringMatching(/^tsr_ocs_[A-Za-z0-9_-]{43}$/),
      name: 'Storefront', redirect_uris: ['https://shop.example/cb'], grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_basic', first_party: false, created: expect.any(Number), modified: expect.any(Number),
    });
    const stored = JSON.stringify(await world.server.deps.db('oauth_clients').select());
    expect(stored).not.toContain(answer.body.client_secret);
    const listed = await world.http.get('/management/orgs/acme/apps/app/clients', { token: world.org.admin.token });
    const found = listed.body.clients.find((c: { client_id: string }) => c.client_id === answer.body.client_id);
    expect(found).toBeDefined();
    expect(found.client_secret).toBeUndefined();
  });

  it('6749-19 and 9700-05: refuses redirect URIs with a fragment, over plain http, or not absolute', async () => {
    for (const uri of ['https://shop.example/cb#top', 'http://shop.example/cb', 'ftp://shop.example/cb', '/cb', 'https://user:pw@shop.example/cb', 'https://SHOP.example/cb']) {
      const answer = await register({ name: 'Bad', redirect_uris: [uri] });
      expect(answer.status, uri).toBe(400);
      expect(answer.body.error, uri).toBe('invalid_redirect_uri');
    }
  });

  it('allows plain http only on loopback addresses, for native apps (RFC 8252)', async () => {
    for (const uri of ['http://127.0.0.1:8765/callback', 'http://[::1]:8765/callback', 'http://localhost/callback']) {
      expect((await register({ name: 'Native', redirect_uris: [uri], token_endpoint_auth_method: 'none' })).status, uri).toBe(201);
    }
  });

  it('keeps public clients to the browser grants and the password grant to first-party confidential clients', async () => {
    const refusals = [
      { name: 'P', redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'client_credentials'] },
      { name: 'P', token_endpoint_auth_method: 'none', grant_types: ['password'], first_party: true },
      { name: 'P', grant_types: ['password'] },
      { name: 'P', grant_types: ['authorization_code'] },
      { name: 'P', grant_types: ['refresh_token', 'client_credentials'] },
      { name: '   ', grant_types: ['client_credentials'] },
    ];
    for (const body of refusals) {
      const answer = await register(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toBe('invalid_client_metadata');
    }
    const publicClient = await register({ name: 'Public', redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'none' });
    expect(publicClient.status).toBe(201);
    expect(publicClient.body.client_secret).toBeUndefined();
  });

  it('lets only the organization’s admins manage its clients', async () => {
    const other = await createOrganization(world.http, 'other');
    const answer = await register({ name: 'Intruder', grant_types: ['client_credentials'] }, other.admin.token);
    expect(answer.status).toBe(403);
    expect((await world.http.get('/management/orgs/acme/apps/app/clients')).status).toBe(401);
    const user = await passwordTokens(world);
    expect((await world.http.get('/management/orgs/acme/apps/app/clients', { token: user.access_token })).status).toBe(403);
  });
});

describe('deleteOAuthClient', () => {
  it('removes the client and revokes every token it was issued', async () => {
    const created = (await register({ name: 'Doomed', grant_types: ['password', 'refresh_token', 'client_credentials'], first_party: true })).body;
    const tokens = await token(world, { grant_type: 'password', username: 'alice', password: 'alice-password-1' }, created);
    expect(tokens.status).toBe(200);
    expect((await world.http.get('/acme/app/users', { token: tokens.body.access_token })).status).toBe(200);
    const removed = await world.http.delete(`/management/orgs/acme/apps/app/clients/${created.client_id}`, { token: world.org.admin.token });
    expect(removed.status).toBe(204);
    expect((await world.http.get('/acme/app/users', { token: tokens.body.access_token })).status).toBe(401);
    expect((await token(world, { grant_type: 'client_credentials' }, created)).status).toBe(401);
    expect((await introspect(world, tokens.body.refresh_token)).body).toEqual({ active: false });
    const again = await world.http.delete(`/management/orgs/acme/apps/app/clients/${created.client_id}`, { token: world.org.admin.token });
    expect(again.status).toBe(404);
  });

  it('will not delete, or revoke the tokens of, a client of another application', async () => {
    const tokens = await passwordTokens(world);
    const sandbox = await world.http.delete(`/management/orgs/acme/apps/sandbox/clients/${world.confidential.client_id}`, { token: world.org.admin.token });
    expect(sandbox.status).toBe(404);
    expect((await introspect(world, tokens.access_token)).body.active).toBe(true);
  });
});
