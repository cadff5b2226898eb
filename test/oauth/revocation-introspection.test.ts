import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm, type Credential } from '../helpers/api.js';
import { basic } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { basicAuth, codeFor, granted, grantedWithRefresh, introspect, passwordTokens, token, type RegisteredClient, type TokenReferenceExtra } from '../helpers/oauth.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

let world: OAuthWorld;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  world = await startWorld({ clock, oauth: true });
});
afterAll(() => world.server.close());

const revoke = (value: string, as: RegisteredClient = world.confidential, extra: TokenReferenceExtra = {}) =>
  revokeAs(basicAuth(as), { token: value, ...extra });
/** `/oauth/revoke` with the client authenticated however `credential` and the body say. */
const revokeAs = (credential: Credential, body: { token: string } & TokenReferenceExtra) => world.api(credential).POST('/oauth/revoke', { body, ...asForm });
/** `/oauth/introspect` likewise. */
const introspectAs = (credential: Credential, body: { token: string } & TokenReferenceExtra) => world.api(credential).POST('/oauth/introspect', { body, ...asForm });
const isActive = async (value: string) => (await introspect(world, value)).data?.active;
const users = (accessToken: string) => world.api(accessToken).GET('/{org}/{app}/users', { params: { path: acmeApp } });

describe('oauthRevoke', () => {
  it('7009-02: needs the token parameter', async () => {
    // Raw: the spec requires the token parameter.
    const answer = await world.http.post('/oauth/revoke', { form: { token_type_hint: 'access_token' }, headers: { authorization: basic(world.confidential.client_id, world.confidential.client_secret!) } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('7009-03: authenticates the client first', async () => {
    const tokens = await passwordTokens(world);
    const anonymous = await revokeAs({}, { token: tokens.access_token });
    const wrong = await revokeAs(basicAuth(world.confidential, 'wrong'), { token: tokens.access_token });
    for (const answer of [anonymous, wrong]) {
      expect(answer.response.status).toBe(401);
      expect(answer.error?.error).toBe('invalid_client');
    }
    expect(await isActive(tokens.access_token)).toBe(true);
  });

  it('7009-04: refuses another client’s token, which stays active', async () => {
    const tokens = await passwordTokens(world);
    const answer = await revokeAs({}, { token: tokens.refresh_token, client_id: world.thirdParty.client_id, client_secret: world.thirdParty.client_secret! });
    expect(answer.response.status).toBe(400);
    expect(answer.error?.error).toBe('unauthorized_client');
    expect(await isActive(tokens.refresh_token)).toBe(true);
  });

  it('7009-05 and 7009-06: revoking a refresh token ends it and the access tokens of its grant', async () => {
    const tokens = await passwordTokens(world);
    const answer = await revoke(tokens.refresh_token, world.confidential, { token_type_hint: 'refresh_token' });
    expect(answer.response.status).toBe(200);
    expect((await token(world, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).error?.error).toBe('invalid_grant');
    expect(await isActive(tokens.refresh_token)).toBe(false);
    expect(await isActive(tokens.access_token)).toBe(false);
    expect((await users(tokens.access_token)).response.status).toBe(401);
  });

  it('revoking a refresh token that was already rotated still ends its grant', async () => {
    const tokens = await passwordTokens(world);
    const rotated = grantedWithRefresh(await token(world, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }));
    expect((await revoke(tokens.refresh_token)).response.status).toBe(200);
    expect(await isActive(rotated.refresh_token)).toBe(false);
    expect(await isActive(rotated.access_token)).toBe(false);
  });

  it('7009-07: revoking an access token ends it alone', async () => {
    const tokens = await passwordTokens(world);
    expect((await revoke(tokens.access_token)).response.status).toBe(200);
    expect(await isActive(tokens.access_token)).toBe(false);
    expect((await users(tokens.access_token)).response.status).toBe(401);
    expect(await isActive(tokens.refresh_token)).toBe(true);
  });

  it('7009-08: finds a refresh token sent with token_type_hint=access_token', async () => {
    const tokens = await passwordTokens(world);
    expect((await revoke(tokens.refresh_token, world.confidential, { token_type_hint: 'access_token' })).response.status).toBe(200);
    expect(await isActive(tokens.refresh_token)).toBe(false);
  });

  it('7009-09: answers 200 for an unknown, garbage or already revoked token', async () => {
    const tokens = await passwordTokens(world);
    await revoke(tokens.access_token);
    for (const value of ['tsr_oat_unknown', '%%%garbage%%%', tokens.access_token]) {
      const answer = await revoke(value);
      expect(answer.response.status, value).toBe(200);
      // An empty body (openapi-fetch does not read a body announced as empty, so the length shows it).
      expect(answer.response.headers.get('content-length'), value).toBe('0');
    }
  });

  it('7009-10: refuses a token type hint it does not know with unsupported_token_type', async () => {
    const tokens = await passwordTokens(world);
    const answer = await revoke(tokens.access_token, world.confidential, { token_type_hint: 'id_token' });
    expect(answer.response.status).toBe(400);
    expect(answer.error?.error).toBe('unsupported_token_type');
  });

  it('lets a public client revoke its own tokens with its client_id alone', async () => {
    const { code, verifier } = await codeFor(world, world.publicClient);
    const tokens = grantedWithRefresh(await token(world, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: world.publicClient.redirect_uris[0]! }, world.publicClient));
    const answer = await revokeAs({}, { token: tokens.refresh_token, client_id: world.publicClient.client_id });
    expect(answer.response.status).toBe(200);
    expect((await users(tokens.access_token)).response.status).toBe(401);
  });
});

describe('oauthIntrospect', () => {
  it('7662-01: needs client authentication, and refuses public clients', async () => {
    const tokens = await passwordTokens(world);
    const anonymous = await introspectAs({}, { token: tokens.access_token });
    const publicClient = await introspectAs({}, { token: tokens.access_token, client_id: world.publicClient.client_id });
    const bearer = await introspectAs(tokens.access_token, { token: tokens.access_token });
    for (const answer of [anonymous, publicClient, bearer]) {
      expect(answer.response.status).toBe(401);
      expect(answer.error).toMatchObject({ error: 'invalid_client' });
      expect(answer.error).not.toHaveProperty('active');
    }
  });

  it('7662-02: needs the token parameter', async () => {
    // Raw: the spec requires the token parameter.
    const answer = await world.http.post('/oauth/introspect', { form: {}, headers: { authorization: basic(world.confidential.client_id, world.confidential.client_secret!) } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('7662-03: describes a live access token', async () => {
    const tokens = await passwordTokens(world, 'read');
    const answer = await introspect(world, tokens.access_token);
    expect(answer.response.status).toBe(200);
    expect(answer.response.headers.get('cache-control')).toBe('no-store');
    expect(answer.data).toEqual({
      active: true, scope: 'read', client_id: world.confidential.client_id, username: 'alice', sub: world.uuids.alice, token_type: 'bearer',
      exp: Math.floor(clock.now() / 1000) + 7200, iat: Math.floor(clock.now() / 1000), aud: expect.any(String), iss: world.issuer,
    });
  });

  it('7662-04: says only {"active":false} for an unknown, revoked or another client’s token, or one that is not an OAuth token', async () => {
    const mine = await passwordTokens(world);
    await revoke(mine.access_token);
    const { code, verifier } = await codeFor(world, world.thirdParty);
    const theirs = granted(await token(world, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: world.thirdParty.redirect_uris[0]! }, world.thirdParty));
    for (const value of ['tsr_oat_unknown', mine.access_token, theirs.access_token, world.acme.admin.token, code]) {
      const answer = await introspect(world, value);
      expect(answer.response.status).toBe(200);
      expect(answer.data).toEqual({ active: false });
    }
  });

  it('7662-05: answers bad caller credentials with 401 invalid_client', async () => {
    const tokens = await passwordTokens(world);
    const answer = await introspectAs(basicAuth(world.confidential, 'wrong'), { token: tokens.access_token });
    expect(answer.response.status).toBe(401);
    expect(answer.response.headers.get('www-authenticate')).toBe('Basic realm="tessera"');
  });

  it('7662-06: finds a refresh token sent with token_type_hint=access_token', async () => {
    const tokens = await passwordTokens(world);
    const answer = await introspect(world, tokens.refresh_token, world.confidential, { token_type_hint: 'access_token' });
    expect(answer.data).toMatchObject({ active: true, scope: 'read write' });
    expect(answer.data?.token_type).toBeUndefined();
  });

  it('7662-07: a token 1 s past its expiry is not active', async () => {
    const tokens = await passwordTokens(world);
    clock.advance(7200_000 - 1000);
    expect(await isActive(tokens.access_token)).toBe(true);
    clock.advance(2000);
    expect((await introspect(world, tokens.access_token)).data).toEqual({ active: false });
  });
});
