import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PageSession, user } from '../helpers/oauth.js';
import { systemClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

/**
 * panva's oauth4webapi, a strict independent client, runs every grant, refresh, revocation and
 * introspection against the server: it refuses metadata whose issuer differs by a byte, a token
 * response that is not exactly right, a callback without the right `state` and `iss`, a revocation
 * that is not a plain 200, and an error challenge that is not well formed.
 */

let world: OAuthWorld;
let as: oauth.AuthorizationServer;
const insecure = { [oauth.allowInsecureRequests]: true };

beforeAll(async () => {
  world = await startWorld({ clock: systemClock, oauth: true });
  const issuer = new URL(world.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
});
afterAll(() => world.server.close());

const confidential = () => ({ client: { client_id: world.confidential.client_id } as oauth.Client, auth: oauth.ClientSecretBasic(world.confidential.client_secret!) });

async function passwordGrant(auth = confidential().auth): Promise<oauth.TokenEndpointResponse> {
  const { client } = confidential();
  const response = await oauth.genericTokenEndpointRequest(as, client, auth, 'password', { username: user.username, password: user.password }, insecure);
  return oauth.processGenericTokenEndpointResponse(as, client, response);
}

async function introspect(token: string): Promise<oauth.IntrospectionResponse> {
  const { client, auth } = confidential();
  return oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, token, insecure));
}

describe('oauth4webapi against Tessera', () => {
  it('8414-02: discovers the metadata, whose issuer is byte-identical to the one asked for', () => {
    expect(as.issuer).toBe(world.issuer);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
  });

  it('runs the authorization code grant with PKCE and client_secret_basic', async () => {
    const { client, auth } = confidential();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const callback = await new PageSession(world).authorize({
      client_id: client.client_id, redirect_uri: world.confidential.redirect_uris[0]!, response_type: 'code', scope: 'read write', state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, world.confidential.redirect_uris[0]!, verifier, insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 7200, scope: 'read write' });
    expect(tokens.refresh_token).toBeDefined();
  });

  it('rejects a callback whose iss is not the issuer (RFC 9207), as a strict client must', async () => {
    const { client } = confidential();
    const forged = new URL('https://client.example/cb?code=x&state=s&iss=https%3A%2F%2Fevil.example');
    expect(() => oauth.validateAuthResponse(as, client, forged, 's')).toThrow();
  });

  it('runs the password grant with client_secret_basic and client_secret_post', async () => {
    const basic = await passwordGrant();
    const post = await passwordGrant(oauth.ClientSecretPost(world.confidential.client_secret!));
    for (const tokens of [basic, post]) {
      expect(tokens.token_type).toBe('bearer');
      expect(tokens.refresh_token).toMatch(/^tsr_ort_/);
    }
  });

  it('runs the client credentials grant, without a refresh token', async () => {
    const { client, auth } = confidential();
    const response = await oauth.clientCredentialsGrantRequest(as, client, auth, { scope: 'read' }, insecure);
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    expect(tokens.scope).toBe('read');
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('refreshes, and the rotated refresh token is spent', async () => {
    const { client, auth } = confidential();
    const first = await passwordGrant();
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, first.refresh_token!, insecure));
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    expect((await introspect(first.refresh_token!)).active).toBe(false);
    expect((await introspect(refreshed.refresh_token!)).active).toBe(true);
  });

  it('introspects an active access token', async () => {
    const tokens = await passwordGrant();
    const described = await introspect(tokens.access_token);
    expect(described).toMatchObject({ active: true, scope: 'read write', client_id: world.confidential.client_id, token_type: 'bearer', username: user.username, sub: world.uuids.alice, iss: world.issuer });
    expect(described.exp! - described.iat!).toBe(7200);
  });

  it('revokes a refresh token, and with it the access tokens of its grant', async () => {
    const { client, auth } = confidential();
    const tokens = await passwordGrant();
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, tokens.refresh_token!, insecure));
    expect((await introspect(tokens.refresh_token!)).active).toBe(false);
    expect((await introspect(tokens.access_token)).active).toBe(false);
  });

  it('surfaces a wrong client secret as a well-formed Basic challenge', async () => {
    const { client } = confidential();
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic('wrong-secret'), {}, insecure);
    const error = await oauth.processClientCredentialsResponse(as, client, response).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.WWWAuthenticateChallengeError);
    const challenge = (error as oauth.WWWAuthenticateChallengeError).cause[0]!;
    expect(challenge.scheme).toBe('basic');
    expect(challenge.parameters.realm).toBe('tessera');
  });

  it('surfaces a bad grant as a ResponseBodyError with the RFC 6749 code', async () => {
    const { client, auth } = confidential();
    const response = await oauth.refreshTokenGrantRequest(as, client, auth, 'tsr_ort_never-issued', insecure);
    const error = await oauth.processRefreshTokenResponse(as, client, response).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect((error as oauth.ResponseBodyError).error).toBe('invalid_grant');
    expect((error as oauth.ResponseBodyError).status).toBe(400);
  });
});

describe('OAuth secrets at rest and in logs', () => {
  it('keeps no client secret, password, code, interaction value or token in the database or the logs', async () => {
    const { client, auth } = confidential();
    const verifier = oauth.generateRandomCodeVerifier();
    const session = new PageSession(world);
    const page = await session.get({
      client_id: client.client_id, redirect_uri: world.confidential.redirect_uris[0]!, response_type: 'code', code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const interaction = PageSession.interactionOf(page);
    await session.login({ interaction, username: user.username, password: user.password });
    await session.get({ interaction });
    const answered = await session.consent({ interaction, decision: 'approve' });
    const callback = new URL(answered.headers.get('location')!);
    const code = callback.searchParams.get('code')!;
    const params = oauth.validateAuthResponse(as, client, callback, oauth.expectNoState);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, await oauth.authorizationCodeGrantRequest(as, client, auth, params, world.confidential.redirect_uris[0]!, verifier, insecure));
    const secrets = [world.confidential.client_secret!, user.password, code, verifier, interaction, tokens.access_token, tokens.refresh_token!];

    const db = world.server.deps.db;
    const stored = JSON.stringify(await Promise.all(['tokens', 'oauth_clients', 'audit_events', 'app_users'].map((table) => db(table).select())));
    const logs = world.server.logText();
    for (const secret of secrets) {
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });
});
