import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera } from '../helpers/api.js';
import { PageSession, pkce, redirectUri } from '../helpers/oauth.js';
import { startTestServer, systemClock, type TestServer } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

let world: OAuthWorld;
let configured: TestServer;
const configuredIssuer = 'https://auth.example.com';

beforeAll(async () => {
  world = await startWorld({ clock: systemClock, oauth: true });
  configured = await startTestServer({ config: { issuer: configuredIssuer } });
});
afterAll(async () => {
  await world.server.close();
  await configured.close();
});

const metadataOf = (baseUrl: string) => tessera(baseUrl).GET('/.well-known/oauth-authorization-server');

/** Every array anywhere in a JSON value. */
const arraysIn = (value: unknown): unknown[][] =>
  Array.isArray(value) ? [value, ...value.flatMap(arraysIn)] : value && typeof value === 'object' ? Object.values(value).flatMap(arraysIn) : [];

describe('oauthMetadata', () => {
  it('8414-01 and 8414-04: answers JSON at the RFC 8414 well-known path with every required member', async () => {
    const answer = await metadataOf(world.server.url);
    expect(answer.response.status).toBe(200);
    expect(answer.response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.data).toMatchObject({
      issuer: world.issuer,
      authorization_endpoint: `${world.issuer}/oauth/authorize`,
      token_endpoint: `${world.issuer}/oauth/token`,
      response_types_supported: ['code'],
    });
  });

  it('8414-02 and 8414-03: takes the issuer from TESSERA_ISSUER, byte for byte, with its endpoints under it', async () => {
    const answer = await metadataOf(configured.url);
    expect(answer.data?.issuer).toBe(configuredIssuer);
    expect(answer.data?.token_endpoint).toBe(`${configuredIssuer}/oauth/token`);
    // oauth4webapi gets the metadata as the server wrote it, byte for byte.
    const { data: text } = await tessera(configured.url).GET('/.well-known/oauth-authorization-server', { parseAs: 'text' });
    await expect(oauth.processDiscoveryResponse(new URL(configuredIssuer), new Response(text, { headers: { 'content-type': 'application/json' } }))).resolves.toMatchObject({
      issuer: configuredIssuer,
    });
  });

  it('8414-05 to 8414-07 and 9700-02: publishes the grants, client authentication methods, revocation, introspection and PKCE', async () => {
    const { data: body } = await metadataOf(world.server.url);
    expect(body?.grant_types_supported).toEqual(['authorization_code', 'refresh_token', 'password', 'client_credentials']);
    expect(body?.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
    expect(body?.revocation_endpoint).toBe(`${world.issuer}/oauth/revoke`);
    expect(body?.introspection_endpoint).toBe(`${world.issuer}/oauth/introspect`);
    expect(body?.revocation_endpoint_auth_methods_supported).toBeDefined();
    expect(body?.introspection_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post']);
    expect(body?.code_challenge_methods_supported).toEqual(['S256']);
    expect(body?.scopes_supported).toEqual(['read', 'write']);
  });

  it('8414-08: omits empty arrays', async () => {
    const { data: body } = await metadataOf(world.server.url);
    expect(body).toBeDefined();
    for (const array of arraysIn(body)) expect(array.length).toBeGreaterThan(0);
  });

  it('8414-09: says every authorization response carries iss, and it does', async () => {
    const { data: body } = await metadataOf(world.server.url);
    expect(body?.authorization_response_iss_parameter_supported).toBe(true);
    const callback = await new PageSession(world).authorize({
      client_id: world.confidential.client_id, redirect_uri: redirectUri, response_type: 'code', code_challenge: pkce().challenge, code_challenge_method: 'S256',
    });
    expect(callback.searchParams.get('iss')).toBe(body?.issuer);
    expect(callback.searchParams.has('state')).toBe(false);
  });
});
