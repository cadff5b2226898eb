import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { asForm } from '../helpers/api.js';
import { basic } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { basicAuth, codeFor, granted, grantedWithRefresh, introspect, passwordTokens, pkce, token, user, type TokenRequest } from '../helpers/oauth.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

let world: OAuthWorld;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  world = await startWorld({ clock, oauth: true });
});
afterAll(() => world.server.close());

const rfc6749DescriptionChars = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;

/** A request whose Host is not loopback: neither fetch nor the typed client will send a forged Host, so node:http does. */
function postWithHost(host: string, path: string, form: Record<string, string>): Promise<{ status: number; body: any }> {
  const url = new URL(world.server.url);
  const data = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path, method: 'POST', headers: { host, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(data) } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    request.end(data);
  });
}

describe('oauthToken: client authentication', () => {
  it('6749-01: refuses OAuth over plain http outside loopback, and an http issuer that is not loopback', async () => {
    const answer = await postWithHost('api.example.com', '/oauth/token', {
      grant_type: 'password', username: user.username, password: user.password, client_id: world.confidential.client_id, client_secret: world.confidential.client_secret!,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
    expect(answer.body.access_token).toBeUndefined();
    expect(() => loadConfig({ TESSERA_ISSUER: 'http://api.example.com' })).toThrow(/https/);
    expect(() => loadConfig({ TESSERA_ISSUER: 'https://api.example.com/?x=1' })).toThrow(/query/);
    expect(loadConfig({ TESSERA_ISSUER: 'http://127.0.0.1:8080' }).issuer).toBe('http://127.0.0.1:8080');
  });

  it('6749-02: accepts HTTP Basic with the id and secret form-urlencoded (Appendix B)', async () => {
    const { client_id, client_secret } = world.confidential;
    const encodedUnderscores = (s: string) => s.replace(/_/g, '%5F');
    const header = `Basic ${Buffer.from(`${encodedUnderscores(client_id)}:${encodedUnderscores(client_secret!)}`).toString('base64')}`;
    const answer = await world.api({ headers: { authorization: header } }).POST('/oauth/token', { body: { grant_type: 'client_credentials' }, ...asForm });
    expect(answer.response.status).toBe(200);
    expect(answer.data?.access_token).toMatch(/^tsr_oat_/);
  });

  it('6749-03: accepts client_id and client_secret in the body', async () => {
    const { client_id, client_secret } = world.confidential;
    const answer = await token(world, { grant_type: 'client_credentials', client_id, client_secret: client_secret! }, false);
    expect(answer.response.status).toBe(200);
  });

  it('6749-04: never accepts a client secret in the query string', async () => {
    const { client_id, client_secret } = world.confidential;
    // Raw: the spec gives the token endpoint no query parameters, and a secret there is what the test refuses.
    const answer = await world.http.post(`/oauth/token?${new URLSearchParams({ client_id, client_secret: client_secret! })}`, { form: { grant_type: 'client_credentials' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('6749-05: refuses two client authentication methods at once', async () => {
    const { client_id, client_secret } = world.confidential;
    // Raw: a credential by two mechanisms at once, which the spec says a client never sends.
    const answer = await world.http.post('/oauth/token', {
      form: { grant_type: 'client_credentials', client_secret: client_secret! },
      headers: { authorization: basic(client_id, client_secret!) },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('6749-07: answers a wrong secret sent by Basic with 401 invalid_client and a Basic challenge', async () => {
    const answer = await world.api(basicAuth(world.thirdParty, 'not-the-secret')).POST('/oauth/token', { body: { grant_type: 'client_credentials' }, ...asForm });
    expect(answer.response.status).toBe(401);
    expect(answer.response.headers.get('www-authenticate')).toBe('Basic realm="tessera"');
    expect(answer.error?.error).toBe('invalid_client');
  });

  it('6749-08: answers a wrong secret in the body with 401 invalid_client', async () => {
    const answer = await token(world, { grant_type: 'client_credentials', client_id: world.thirdParty.client_id, client_secret: 'not-the-secret' }, false);
    expect(answer.response.status).toBe(401);
    expect(answer.error?.error).toBe('invalid_client');
  });

  it('answers an unknown client, and a confidential client without its secret, with 401 invalid_client', async () => {
    const unknown = await token(world, { grant_type: 'client_credentials', client_id: 'oc_nobody', client_secret: 'x' }, false);
    const secretless = await token(world, { grant_type: 'client_credentials', client_id: world.confidential.client_id }, false);
    const nothing = await token(world, { grant_type: 'client_credentials' }, false);
    for (const answer of [unknown, secretless, nothing]) {
      expect(answer.response.status).toBe(401);
      expect(answer.error?.error).toBe('invalid_client');
    }
  });
});

describe('oauthToken: requests and responses', () => {
  it('6749-09: answers GET with 405 and never a token', async () => {
    // Raw: the spec has no GET on the token endpoint.
    const answer = await world.http.get('/oauth/token?grant_type=client_credentials');
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
    expect(answer.body.access_token).toBeUndefined();
  });

  it('6749-10: refuses a repeated parameter', async () => {
    // Raw: an object body cannot hold a parameter twice.
    const answer = await world.http.post('/oauth/token', {
      raw: { body: 'grant_type=client_credentials&grant_type=client_credentials', type: 'application/x-www-form-urlencoded' },
      headers: { authorization: basic(world.confidential.client_id, world.confidential.client_secret!) },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('6749-11: treats an empty parameter as omitted and ignores unknown ones', async () => {
    const answer = await token(world, { grant_type: 'client_credentials', scope: '', foo: 'bar' });
    expect(answer.response.status).toBe(200);
    expect(answer.data?.scope).toBe('read write');
  });

  it('6749-12 and 6750-10: answers exactly {access_token, token_type, expires_in, refresh_token, scope}, never cached', async () => {
    const answer = await token(world, { grant_type: 'password', username: user.username, password: user.password });
    expect(answer.response.status).toBe(200);
    expect(answer.response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.response.headers.get('cache-control')).toBe('no-store');
    expect(answer.response.headers.get('pragma')).toBe('no-cache');
    expect(Object.keys(granted(answer))).toEqual(['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope']);
    expect(answer.data).toMatchObject({ token_type: 'bearer', expires_in: 7200, scope: 'read write' });
  });

  it('accepts the JSON body the seed’s clients send', async () => {
    const { client_id, client_secret } = world.confidential;
    const answer = await world.api().POST('/oauth/token', {
      body: { grant_type: 'password', username: user.email, password: user.password, client_id, client_secret },
    });
    expect(answer.response.status).toBe(200);
    expect(answer.data?.refresh_token).toMatch(/^tsr_ort_/);
  });

  it('6749-13: says which scope was granted: the requested one, or read write by default', async () => {
    expect((await token(world, { grant_type: 'client_credentials', scope: 'read' })).data?.scope).toBe('read');
    expect((await token(world, { grant_type: 'client_credentials', scope: 'write read read' })).data?.scope).toBe('read write');
    expect((await token(world, { grant_type: 'client_credentials' })).data?.scope).toBe('read write');
  });

  it('6749-14: names each error as §5.2 does, in the allowed characters', async () => {
    const errors = {
      unsupported_grant_type: await token(world, { grant_type: 'urn:example:telepathy' }),
      unauthorized_client: await token(world, { grant_type: 'password', username: user.username, password: user.password }, world.thirdParty),
      invalid_request: await token(world, { grant_type: 'password', username: user.username }),
      invalid_scope: await token(world, { grant_type: 'client_credentials', scope: 'read "admin"' }),
    };
    for (const [code, answer] of Object.entries(errors)) {
      expect(answer.response.status, code).toBe(400);
      expect(answer.error?.error, code).toBe(code);
      expect(answer.error?.error_description, code).toMatch(rfc6749DescriptionChars);
    }
    // Raw: the spec requires grant_type.
    const missingGrant = await world.http.post('/oauth/token', { form: {}, headers: { authorization: basic(world.confidential.client_id, world.confidential.client_secret!) } });
    expect(missingGrant.status).toBe(400);
    expect(missingGrant.body.error).toBe('invalid_request');
  });

  it('6749-33: issues tokens and codes of 256 random bits', async () => {
    const tokens = await passwordTokens(world);
    const { code } = await codeFor(world);
    for (const value of [tokens.access_token, tokens.refresh_token, code]) expect(value).toMatch(/^tsr_o(at|rt|ac)_[A-Za-z0-9_-]{43}$/);
  });
});

describe('oauthToken: authorization_code', () => {
  const exchange = (code: string, verifier: string, extra: Partial<TokenRequest> = {}, as = world.confidential) =>
    token(world, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: as.redirect_uris[0]!, ...extra }, as);

  it('7636-03: exchanges a code for tokens with an S256 verifier of 43 characters', async () => {
    const { code, verifier } = await codeFor(world);
    expect(verifier).toHaveLength(43);
    const answer = await exchange(code, verifier);
    expect(answer.response.status).toBe(200);
    expect(answer.data?.refresh_token).toMatch(/^tsr_ort_/);
  });

  it('6749-23: refuses a code used after its 10 minutes', async () => {
    const { code, verifier } = await codeFor(world);
    clock.advance(10 * 60_000);
    const answer = await exchange(code, verifier);
    expect(answer.response.status).toBe(400);
    expect(answer.error?.error).toBe('invalid_grant');
  });

  it('6749-24: a replayed code revokes the tokens issued from it', async () => {
    const { code, verifier } = await codeFor(world);
    const first = await exchange(code, verifier);
    expect(first.response.status).toBe(200);
    const tokens = grantedWithRefresh(first);
    expect((await introspect(world, tokens.access_token)).data?.active).toBe(true);
    const replay = await exchange(code, verifier);
    expect(replay.response.status).toBe(400);
    expect(replay.error?.error).toBe('invalid_grant');
    expect((await introspect(world, tokens.access_token)).data).toEqual({ active: false });
    expect((await introspect(world, tokens.refresh_token)).data).toEqual({ active: false });
    expect((await world.api(tokens.access_token).GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status).toBe(401);
  });

  it('6749-25: refuses a code issued to another client', async () => {
    const { code, verifier } = await codeFor(world);
    const answer = await exchange(code, verifier, {}, world.thirdParty);
    expect(answer.response.status).toBe(400);
    expect(answer.error?.error).toBe('invalid_grant');
  });

  it('6749-26: refuses a code redeemed without its redirect_uri, or with another', async () => {
    const first = await codeFor(world);
    const without = await token(world, { grant_type: 'authorization_code', code: first.code, code_verifier: first.verifier });
    const second = await codeFor(world);
    const other = await exchange(second.code, second.verifier, { redirect_uri: 'https://client.example/cb/' });
    for (const answer of [without, other]) {
      expect(answer.response.status).toBe(400);
      expect(answer.error?.error).toBe('invalid_grant');
    }
  });

  it('6749-27: refuses a confidential client that does not authenticate, even with a valid code_verifier', async () => {
    const { code, verifier } = await codeFor(world);
    const answer = await token(
      world,
      { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: world.confidential.redirect_uris[0]!, client_id: world.confidential.client_id },
      false,
    );
    expect(answer.response.status).toBe(401);
    expect(answer.error?.error).toBe('invalid_client');
  });

  it('7636-05: refuses a code_verifier of 42 or 129 characters, or with + / =', async () => {
    const { code } = await codeFor(world);
    for (const verifier of ['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)}+`, `${'a'.repeat(42)}/`, `${'a'.repeat(42)}=`]) {
      const answer = await exchange(code, verifier);
      expect(answer.response.status, verifier).toBe(400);
      expect(answer.error?.error, verifier).toBe('invalid_request');
    }
  });

  it('7636-06: refuses a wrong code_verifier, and the code is then used up', async () => {
    const { code, verifier } = await codeFor(world);
    const wrong = await exchange(code, pkce().verifier);
    expect(wrong.response.status).toBe(400);
    expect(wrong.error?.error).toBe('invalid_grant');
    const right = await exchange(code, verifier);
    expect(right.response.status).toBe(400);
    expect(right.error?.error).toBe('invalid_grant');
  });

  it('7636-07: refuses a code issued with a challenge and redeemed without a verifier', async () => {
    const { code } = await codeFor(world);
    const answer = await token(world, { grant_type: 'authorization_code', code, redirect_uri: world.confidential.redirect_uris[0]! });
    expect(answer.response.status).toBe(400);
    expect(answer.error?.error).toBe('invalid_grant');
  });

  it('7636-08: refuses a verifier for a code issued without a challenge (downgrade)', async () => {
    const { code } = await codeFor(world, world.confidential, { code_challenge: '', code_challenge_method: '' });
    const answer = await exchange(code, pkce().verifier);
    expect(answer.response.status).toBe(400);
    expect(answer.error?.error).toBe('invalid_grant');
  });

  it('honours a confidential client that uses no PKCE at all', async () => {
    const { code } = await codeFor(world, world.confidential, { code_challenge: '', code_challenge_method: '' });
    const answer = await token(world, { grant_type: 'authorization_code', code, redirect_uri: world.confidential.redirect_uris[0]! });
    expect(answer.response.status).toBe(200);
  });

  it('7636-09: refuses the observed challenge sent as the verifier (a plain attack)', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await codeFor(world, world.confidential, { code_challenge: challenge });
    const answer = await exchange(code, challenge);
    expect(answer.response.status).toBe(400);
    expect(answer.error?.error).toBe('invalid_grant');
    expect(verifier).not.toBe(challenge);
  });

  it('7636-10: issues codes that are opaque: neither the challenge nor the code is in them or stored', async () => {
    const { code, callback } = await codeFor(world);
    const stored = JSON.stringify(await world.server.deps.db('tokens').select());
    expect(stored).not.toContain(code);
    expect(callback.searchParams.get('code')).toBe(code);
    const { challenge } = pkce();
    expect(code).not.toContain(challenge.slice(0, 10));
  });

  it('lets a public client redeem its code with client_id and the verifier alone', async () => {
    const { code, verifier } = await codeFor(world, world.publicClient);
    const answer = await exchange(code, verifier, {}, world.publicClient);
    expect(answer.response.status).toBe(200);
    expect(answer.data?.refresh_token).toMatch(/^tsr_ort_/);
  });
});

describe('oauthToken: password and client_credentials', () => {
  it('6749-28: answers a wrong password with 400 invalid_grant, and a missing client authentication with 401', async () => {
    const wrong = await token(world, { grant_type: 'password', username: user.username, password: 'wrong-password' });
    expect(wrong.response.status).toBe(400);
    expect(wrong.error?.error).toBe('invalid_grant');
    const anonymous = await token(world, { grant_type: 'password', username: user.username, password: user.password }, false);
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error?.error).toBe('invalid_client');
  });

  it('9700-06: keeps the password grant from public and third-party clients', async () => {
    const publicAnswer = await token(world, { grant_type: 'password', username: user.username, password: user.password }, world.publicClient);
    expect(publicAnswer.response.status).toBe(400);
    expect(publicAnswer.error?.error).toBe('unauthorized_client');
    const registration = await world.api(world.acme.admin.token).POST('/management/orgs/{org}/apps/{app}/clients', {
      params: { path: acmeApp }, body: { name: 'Third party', grant_types: ['password'], first_party: false },
    });
    expect(registration.response.status).toBe(400);
    expect(registration.error?.error).toBe('invalid_client_metadata');
  });

  it('6749-29: refuses client_credentials without client authentication, and issues no refresh token', async () => {
    const anonymous = await token(world, { grant_type: 'client_credentials' }, false);
    expect(anonymous.response.status).toBe(401);
    const answer = await token(world, { grant_type: 'client_credentials' });
    expect(answer.response.status).toBe(200);
    expect(Object.keys(granted(answer))).toEqual(['access_token', 'token_type', 'expires_in', 'scope']);
  });

  it('9700-13: gives client-credentials tokens a subject no user can have', async () => {
    const answer = await token(world, { grant_type: 'client_credentials' });
    const described = await introspect(world, granted(answer).access_token);
    expect(described.data?.sub).toBe(`client:${world.confidential.client_id}`);
    expect(described.data?.username).toBeUndefined();
  });
});
