import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeFor, PageSession, pkce, redirectUri, token, type AuthorizeQuery, type RegisteredClient } from '../helpers/oauth.js';
import { systemClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

let world: OAuthWorld;
/** A native app (RFC 8252) that registered loopback IP literals without a port, and one with a port. */
let nativeApp: RegisteredClient;
/** A native app that registered `localhost` (RFC 8252 §8.3: not recommended): matched exactly. */
let localhostApp: RegisteredClient;

beforeAll(async () => {
  world = await startWorld({ clock: systemClock, oauth: true });
  nativeApp = await world.register({ name: 'Acme desktop', redirect_uris: ['http://127.0.0.1/callback', 'http://[::1]:8000/callback'], token_endpoint_auth_method: 'none' });
  localhostApp = await world.register({ name: 'Acme CLI', redirect_uris: ['http://localhost:9000/callback'], token_endpoint_auth_method: 'none' });
});
afterAll(() => world.server.close());

const request = (as: RegisteredClient, redirect_uri: string | undefined, extra: AuthorizeQuery = {}): AuthorizeQuery => ({
  client_id: as.client_id,
  ...(redirect_uri !== undefined && { redirect_uri }),
  response_type: 'code',
  state: 'xyz',
  code_challenge: pkce().challenge,
  code_challenge_method: 'S256',
  ...extra,
});

describe('loopback redirect URIs (RFC 8252 §7.3)', () => {
  it('accept any port on a registered loopback IP literal, and the code goes to that port and is redeemed with it', async () => {
    for (const uri of ['http://127.0.0.1:49152/callback', 'http://127.0.0.1:65535/callback', 'http://127.0.0.1/callback', 'http://[::1]:51234/callback', 'http://[::1]/callback']) {
      const { code, verifier, callback } = await codeFor(world, nativeApp, { redirect_uri: uri });
      expect(`${callback.origin}${callback.pathname}`).toBe(uri);
      const redeemed = await token(world, { grant_type: 'authorization_code', code, redirect_uri: uri, code_verifier: verifier }, nativeApp);
      expect(redeemed.response.status, uri).toBe(200);
    }
  });

  it('still bind the code to the port it was sent to: another port at the token endpoint is invalid_grant', async () => {
    const { code, verifier } = await codeFor(world, nativeApp, { redirect_uri: 'http://127.0.0.1:50001/callback' });
    const redeemed = await token(world, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:50002/callback', code_verifier: verifier }, nativeApp);
    expect(redeemed.response.status).toBe(400);
    expect(redeemed.error).toMatchObject({ error: 'invalid_grant' });
  });

  it('match everything but the port exactly: path, query, host, scheme, user info, fragment, spelling', async () => {
    const session = new PageSession(world);
    const refused = [
      'http://127.0.0.1:5000/callback/', 'http://127.0.0.1:5000/callback?x=1', 'http://127.0.0.1:5000/other', 'http://127.0.0.2:5000/callback',
      'http://localhost:5000/callback', 'https://127.0.0.1:5000/callback', 'http://evil@127.0.0.1:5000/callback', 'http://127.0.0.1:5000/callback#x',
      'http://127.0.0.1:80/callback', 'http://127.0.0.1:05000/callback', 'http://0x7f000001:5000/callback', 'http://[0:0:0:0:0:0:0:1]:5000/callback',
      'http://127.0.0.1:5000/a/../callback', 'http://127.0.0.1.evil.example:5000/callback',
    ];
    for (const uri of refused) {
      const answer = await session.get(request(nativeApp, uri));
      expect(answer.status, uri).toBe(400);
      expect(answer.headers.get('location'), uri).toBeNull();
    }
  });

  it('do not extend to localhost (RFC 8252 §8.3) or to https redirect URIs: those match exactly, port included', async () => {
    const session = new PageSession(world);
    expect((await session.get(request(localhostApp, 'http://localhost:9000/callback'))).status).toBe(200);
    expect((await session.get(request(localhostApp, 'http://localhost:9001/callback'))).status).toBe(400);
    expect((await session.get(request(world.confidential, 'https://client.example:8443/cb'))).status).toBe(400);
  });
});

describe('the authorization error page', () => {
  const marker = 'attacker-marker-7f3a';

  it('says the same thing for an unknown client, an unregistered redirect URI and a missing one, so it tells no client apart', async () => {
    const session = new PageSession(world);
    const pages = await Promise.all([
      session.get(request({ ...world.confidential, client_id: `oc_${marker}` }, redirectUri)),
      session.get(request(world.confidential, `https://${marker}.example/cb`)),
      session.get(request(world.thirdParty, undefined)),
    ]);
    for (const page of pages) expect(page.status).toBe(400);
    expect(new Set(pages.map((page) => page.text)).size).toBe(1);
  });

  it('names nothing the request or the client chose: no redirect URI, client id, client or application name, state or scope', async () => {
    const session = new PageSession(world);
    const named = await world.register({ name: `Client ${marker}`, redirect_uris: [`https://${marker}.example/cb`, 'https://other.example/cb'] });
    const attempts: AuthorizeQuery[] = [
      request(world.confidential, `https://${marker}.example/cb`, { state: marker, scope: marker }),
      request({ ...world.confidential, client_id: `oc_${marker}` }, `https://${marker}.example/cb`, { state: marker }),
      request(named, undefined, { state: marker }),
      request(named, `https://${marker}.example/cb/x`, { state: marker, response_type: marker }),
      request(nativeApp, `http://127.0.0.1:1/${marker}`, { state: marker }),
    ];
    for (const query of attempts) {
      const page = await session.get(query);
      expect(page.status).toBe(400);
      expect(page.text.toLowerCase()).not.toContain(marker);
      expect(page.text).not.toContain(named.client_id);
      expect(page.text).not.toContain('Acme');
    }
  });
});
