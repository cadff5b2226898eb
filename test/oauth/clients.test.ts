import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import { acmeApp, createOrganization } from '../helpers/fixtures.js';
import { grantedWithRefresh, introspect, passwordTokens, token, type NewClient } from '../helpers/oauth.js';
import { systemClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

let world: OAuthWorld;

beforeAll(async () => {
  world = await startWorld({ clock: systemClock, oauth: true });
});
afterAll(() => world.server.close());

const register = (body: NewClient, adminToken = world.acme.admin.token) =>
  world.api(adminToken).POST('/management/orgs/{org}/apps/{app}/clients', { params: { path: acmeApp }, body });
const clientsOf = (credential?: string) => world.api(credential).GET('/management/orgs/{org}/apps/{app}/clients', { params: { path: acmeApp } });
const remove = (app: string, client: string) =>
  world.api(world.acme.admin.token).DELETE('/management/orgs/{org}/apps/{app}/clients/{client}', { params: { path: { org: 'acme', app, client } } });
const users = (accessToken: string) => world.api(accessToken).GET('/{org}/{app}/users', { params: { path: acmeApp } });

describe('createOAuthClient', () => {
  it('registers a client and shows its secret once, hashed at rest', async () => {
    const answer = await register({ name: 'Storefront', redirect_uris: ['https://shop.example/cb'] });
    expect(answer.response.status).toBe(201);
    expect(answer.response.headers.get('cache-control')).toBe('no-store');
    expect(answer.data).toEqual({
      client_id: expect.stringMatching(/^oc_[A-Za-z0-9_-]{22}$/), client_secret: expect.stringMatching(/^tsr_ocs_[A-Za-z0-9_-]{43}$/),
      name: 'Storefront', redirect_uris: ['https://shop.example/cb'], grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'client_secret_basic', first_party: false, created: expect.any(Number), modified: expect.any(Number),
    });
    assert(answer.data?.client_secret);
    const { client_id, client_secret } = answer.data;
    const stored = JSON.stringify(await world.server.deps.db('oauth_clients').select());
    expect(stored).not.toContain(client_secret);
    const listed = await clientsOf(world.acme.admin.token);
    const found = listed.data?.clients.find((c) => c.client_id === client_id);
    expect(found).toBeDefined();
    expect(found).not.toHaveProperty('client_secret');
  });

  it('6749-19 and 9700-05: refuses redirect URIs with a fragment, over plain http, or not absolute', async () => {
    for (const uri of ['https://shop.example/cb#top', 'http://shop.example/cb', 'ftp://shop.example/cb', '/cb', 'https://user:pw@shop.example/cb', 'https://SHOP.example/cb']) {
      const answer = await register({ name: 'Bad', redirect_uris: [uri] });
      expect(answer.response.status, uri).toBe(400);
      expect(answer.error?.error, uri).toBe('invalid_redirect_uri');
    }
  });

  it('allows plain http only on loopback addresses, for native apps (RFC 8252)', async () => {
    for (const uri of ['http://127.0.0.1:8765/callback', 'http://[::1]:8765/callback', 'http://localhost/callback']) {
      expect((await register({ name: 'Native', redirect_uris: [uri], token_endpoint_auth_method: 'none' })).response.status, uri).toBe(201);
    }
  });

  it('keeps public clients to the browser grants and the password grant to first-party confidential clients', async () => {
    const refusals: NewClient[] = [
      { name: 'P', redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'client_credentials'] },
      { name: 'P', token_endpoint_auth_method: 'none', grant_types: ['password'], first_party: true },
      { name: 'P', grant_types: ['password'] },
      { name: 'P', grant_types: ['authorization_code'] },
      { name: 'P', grant_types: ['refresh_token', 'client_credentials'] },
      { name: '   ', grant_types: ['client_credentials'] },
    ];
    for (const body of refusals) {
      const answer = await register(body);
      expect(answer.response.status, JSON.stringify(body)).toBe(400);
      expect(answer.error?.error).toBe('invalid_client_metadata');
    }
    const publicClient = await register({ name: 'Public', redirect_uris: ['https://a.example/cb'], token_endpoint_auth_method: 'none' });
    expect(publicClient.response.status).toBe(201);
    expect(publicClient.data).toBeDefined();
    expect(publicClient.data?.client_secret).toBeUndefined();
  });

  it('lets only the organization’s admins manage its clients', async () => {
    const other = await createOrganization(world.server.url, 'other');
    const answer = await register({ name: 'Intruder', grant_types: ['client_credentials'] }, other.admin.token);
    expect(answer.response.status).toBe(403);
    expect((await clientsOf()).response.status).toBe(401);
    const user = await passwordTokens(world);
    expect((await clientsOf(user.access_token)).response.status).toBe(403);
  });
});

describe('deleteOAuthClient', () => {
  it('removes the client and revokes every token it was issued', async () => {
    const created = (await register({ name: 'Doomed', grant_types: ['password', 'refresh_token', 'client_credentials'], first_party: true })).data;
    assert(created);
    const answer = await token(world, { grant_type: 'password', username: 'alice', password: 'alice-password-1' }, created);
    expect(answer.response.status).toBe(200);
    const tokens = grantedWithRefresh(answer);
    expect((await users(tokens.access_token)).response.status).toBe(200);
    const removed = await remove('app', created.client_id);
    expect(removed.response.status).toBe(204);
    expect((await users(tokens.access_token)).response.status).toBe(401);
    expect((await token(world, { grant_type: 'client_credentials' }, created)).response.status).toBe(401);
    expect((await introspect(world, tokens.refresh_token)).data).toEqual({ active: false });
    const again = await remove('app', created.client_id);
    expect(again.response.status).toBe(404);
  });

  it('will not delete, or revoke the tokens of, a client of another application', async () => {
    const tokens = await passwordTokens(world);
    const sandbox = await remove('sandbox', world.confidential.client_id);
    expect(sandbox.response.status).toBe(404);
    expect((await introspect(world, tokens.access_token)).data?.active).toBe(true);
  });
});
