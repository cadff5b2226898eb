import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm } from '../helpers/api.js';
import { PageSession, pkce, redirectUri, token, type AuthorizeQuery } from '../helpers/oauth.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

let world: OAuthWorld;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  world = await startWorld({ clock, oauth: true });
});
afterAll(() => world.server.close());

const query = (extra: AuthorizeQuery = {}): AuthorizeQuery => ({
  client_id: world.confidential.client_id,
  redirect_uri: redirectUri,
  response_type: 'code',
  state: 'xyz',
  code_challenge: pkce().challenge,
  code_challenge_method: 'S256',
  ...extra,
});
/** `GET /oauth/authorize` as an API client rather than a browser: it accepts JSON, and redirects are not followed. */
const authorize = (params: AuthorizeQuery) => world.api().GET('/oauth/authorize', { params: { query: params } });

/** The parameters of a redirect back to the client, after checking it goes to the registered URI. */
function redirectParams(location: string | null, base = redirectUri): URLSearchParams {
  expect(location).not.toBeNull();
  const url = new URL(location!);
  expect(`${url.origin}${url.pathname}`).toBe(base);
  return url.searchParams;
}

describe('oauthAuthorize', () => {
  it('6749-15: shows the login page for GET and ignores unknown parameters', async () => {
    const page = await new PageSession(world).get(query({ extensions: { foo: 'bar', prompt: 'login' } }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('name="password"');
    expect(page.text).toContain('Acme web');
  });

  it('6749-16: shows an error and never redirects for an unknown client or an unregistered redirect URI', async () => {
    const session = new PageSession(world);
    for (const params of [query({ client_id: 'oc_unknown' }), query({ redirect_uri: 'https://evil.example/cb' }), query({ client_id: '' })]) {
      const answer = await session.get(params);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('location')).toBeNull();
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(answer.text).not.toContain('evil.example');
    }
    const api = await authorize(query({ client_id: 'oc_unknown' }));
    expect(api.response.status).toBe(400);
    expect(api.error).toMatchObject({ error: 'invalid_request' });
  });

  it('6749-17 and 9700-03: matches redirect URIs exactly', async () => {
    const session = new PageSession(world);
    for (const uri of ['https://client.example/cb/', 'https://client.example/cb?x=1', 'https://CLIENT.example/cb', 'https://client.example/cb/../cb', 'https://client.example/cb#x']) {
      const answer = await session.get(query({ redirect_uri: uri }));
      expect(answer.status, uri).toBe(400);
      expect(answer.headers.get('location'), uri).toBeNull();
    }
  });

  it('6749-18: needs redirect_uri when the client registered more than one, and implies the only one otherwise', async () => {
    const session = new PageSession(world);
    const { redirect_uri: _, ...withoutUri } = query({ client_id: world.thirdParty.client_id });
    expect((await session.get(withoutUri)).status).toBe(400);
    const { redirect_uri: __, ...implied } = query();
    expect((await session.get(implied)).status).toBe(200);
  });

  it('6749-20: sends a missing or unknown response_type back to the client with the state', async () => {
    const { response_type: _, ...missing } = query();
    const answers = [await authorize(missing), await authorize(query({ response_type: 'token' }))];
    expect(answers.map((a) => a.response.status)).toEqual([302, 302]);
    const [first, second] = answers.map((a) => redirectParams(a.response.headers.get('location')));
    expect(first!.get('error')).toBe('invalid_request');
    expect(second!.get('error')).toBe('unsupported_response_type');
    for (const params of [first!, second!]) {
      expect(params.get('state')).toBe('xyz');
      expect(params.get('iss')).toBe(world.issuer);
    }
  });

  it('sends an unknown scope back as invalid_scope, and a client without the code grant as unauthorized_client', async () => {
    const scope = redirectParams((await authorize(query({ scope: 'read admin' }))).response.headers.get('location'));
    expect(scope.get('error')).toBe('invalid_scope');
    const machine = await world.register({ name: 'Machine', redirect_uris: ['https://machine.example/cb'], grant_types: ['client_credentials'] });
    const refused = await authorize(query({ client_id: machine.client_id, redirect_uri: 'https://machine.example/cb' }));
    expect(redirectParams(refused.response.headers.get('location'), 'https://machine.example/cb').get('error')).toBe('unauthorized_client');
  });

  it('6749-21: a denial goes back as access_denied with the state', async () => {
    const callback = await new PageSession(world).authorize(query(), 'deny');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('xyz');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('6749-22 and 8414-09: the callback carries exactly the state sent, and iss', async () => {
    const state = 'a b+c/d=é&x';
    const callback = await new PageSession(world).authorize(query({ state }));
    expect(callback.searchParams.get('state')).toBe(state);
    expect(callback.searchParams.get('iss')).toBe(world.issuer);
    expect(callback.searchParams.get('code')).toMatch(/^tsr_oac_/);
  });

  it('keeps the query of a registered redirect URI as it is', async () => {
    const withQuery = await world.register({ name: 'Query', redirect_uris: ['https://client.example/cb?tenant=a%20b'] });
    const callback = await new PageSession(world).authorize(query({ client_id: withQuery.client_id, redirect_uri: 'https://client.example/cb?tenant=a%20b' }));
    expect(callback.href.startsWith('https://client.example/cb?tenant=a%20b&code=')).toBe(true);
  });

  it('6749-34: refuses a login or consent form without this browser’s binding or from a foreign origin, and issues no code', async () => {
    const codesBefore = await world.server.deps.db('tokens').where({ kind: 'authorization_code' }).count({ n: '*' });
    const session = new PageSession(world);
    const page = await session.get(query());
    const interaction = PageSession.interactionOf(page);
    const login = { interaction, username: 'alice', password: 'alice-password-1' };
    // Another browser, without this one's binding cookie.
    const stranger = await new PageSession(world).login(login);
    expect(stranger.status).toBe(403);
    const foreign = await session.login(login, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const crossSite = await session.login(login, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    // Raw: the spec requires the interaction field.
    const noToken = await session.postOffSpec('/oauth/authorize/login', { username: 'alice', password: 'alice-password-1' });
    expect(noToken.status).toBe(400);

    const signedIn = await session.login(login, { origin: 'null', 'sec-fetch-site': 'same-origin' });
    expect(signedIn.status).toBe(303);
    const consentForged = await world.api().POST('/oauth/authorize/consent', { body: { interaction, decision: 'approve' }, ...asForm });
    expect(consentForged.response.status).toBe(403);
    expect(consentForged.response.headers.get('location')).toBeNull();
    const codes = await world.server.deps.db('tokens').where({ kind: 'authorization_code' }).count({ n: '*' });
    expect(Number(codes[0]!.n)).toBe(Number(codesBefore[0]!.n));
  });

  it('answers each authorization once: a consent sent twice gets an error, not a second code', async () => {
    const session = new PageSession(world);
    const interaction = await session.start(query());
    await session.signIn(interaction);
    expect((await session.consent({ interaction, decision: 'approve' })).status).toBe(303);
    const again = await session.consent({ interaction, decision: 'approve' });
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
  });

  it('shows the login page again, saying so, after a wrong password', async () => {
    const session = new PageSession(world);
    const interaction = await session.start(query());
    const wrong = await session.login({ interaction, username: 'alice', password: 'wrong' });
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain('The username or password is wrong.');
    expect(wrong.text).toContain('value="alice"');
  });

  it('6749-35: never reflects state or redirect_uri unescaped into a page', async () => {
    const session = new PageSession(world);
    const script = '"><script>alert(1)</script>';
    const badUri = await session.get(query({ redirect_uri: `https://client.example/cb${script}` }));
    expect(badUri.text).not.toContain('<script>');
    const page = await session.get(query({ state: script }));
    expect(page.text).not.toContain('<script>');
    const interaction = PageSession.interactionOf(page);
    const wrong = await session.login({ interaction, username: script, password: 'x' });
    expect(wrong.text).not.toContain('<script>');
    expect(wrong.text).toContain('&#34;&#62;&#60;script&#62;');
    const scripted = await world.register({ name: '<script>alert(1)</script>', redirect_uris: [redirectUri] });
    const named = await session.get(query({ client_id: scripted.client_id }));
    expect(named.status).toBe(200);
    expect(named.text).not.toContain('<script>');
  });

  it('7636-01: refuses a challenge method other than S256, and a challenge without a method (never plain)', async () => {
    for (const extra of [{ code_challenge_method: 'S512' }, { code_challenge_method: 'plain' }, { code_challenge_method: '' }]) {
      const params = redirectParams((await authorize(query(extra))).response.headers.get('location'));
      expect(params.get('error')).toBe('invalid_request');
      expect(params.get('state')).toBe('xyz');
    }
  });

  it('7636-02 and 9700-01: requires a code challenge from public clients', async () => {
    const publicQuery = query({ client_id: world.publicClient.client_id, redirect_uri: world.publicClient.redirect_uris[0]!, code_challenge: '', code_challenge_method: '' });
    const params = redirectParams((await authorize(publicQuery)).response.headers.get('location'), world.publicClient.redirect_uris[0]);
    expect(params.get('error')).toBe('invalid_request');
    expect(params.get('error_description')).toContain('code challenge required');
  });

  it('9700-04: redirects errors only to the validated registered URI', async () => {
    const answer = await authorize(query({ redirect_uri: 'https://evil.example/cb', response_type: 'token' }));
    expect(answer.response.status).toBe(400);
    expect(answer.response.headers.get('location')).toBeNull();
  });

  it('9700-10: answers the login and consent posts with 303, never 307', async () => {
    const session = new PageSession(world);
    const interaction = await session.start(query());
    expect((await session.signIn(interaction)).status).toBe(303);
    const consent = await session.consent({ interaction, decision: 'approve' });
    expect(consent.status).toBe(303);
  });

  it('9700-11 and 9700-12: pages cannot be framed, load nothing from elsewhere, and send no Referer', async () => {
    const session = new PageSession(world);
    const login = await session.get(query());
    const error = await session.get(query({ client_id: 'oc_unknown' }));
    for (const page of [login, error]) {
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      expect(page.text).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      expect(page.text).not.toContain('<script');
    }
    expect(login.headers.get('set-cookie')).toMatch(/^tessera_oauth_browser=[\w-]{43}; Path=\/oauth\/authorize; HttpOnly; SameSite=Lax$/);
  });

  it('binds the interaction to the browser: another browser cannot resume it', async () => {
    const session = new PageSession(world);
    const interaction = await session.start(query());
    const other = await new PageSession(world).get({ interaction });
    expect(other.status).toBe(403);
  });

  it('expires an interaction left open for 30 minutes', async () => {
    const session = new PageSession(world);
    const interaction = await session.start(query());
    clock.advance(30 * 60_000);
    const late = await session.signIn(interaction);
    expect(late.status).toBe(400);
    expect(late.text).toContain('expired');
  });

  it('issues a code bound to what the user approved, usable once by its client', async () => {
    const { verifier, challenge } = pkce();
    const callback = await new PageSession(world).authorize(query({ code_challenge: challenge, scope: 'read' }));
    const answer = await token(world, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, code_verifier: verifier, redirect_uri: redirectUri });
    expect(answer.response.status).toBe(200);
    expect(answer.data?.scope).toBe('read');
  });
});

describe('oauthLogin', () => {
  it('sends the browser on with the interaction in Location, and says no cache may keep that answer', async () => {
    const session = new PageSession(world);
    const signedIn = await session.signIn(await session.start(query()));
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toMatch(/interaction=tsr_/);
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    expect(signedIn.headers.get('pragma')).toBe('no-cache');
  });
});

describe('oauthConsent', () => {
  it('sends the code to the client in Location, and says no cache may keep that answer', async () => {
    const session = new PageSession(world);
    const signedIn = await session.signIn(await session.start(query()));
    const consent = await session.follow(signedIn.headers.get('location'));
    const answered = await session.consent({ interaction: PageSession.interactionOf(consent), decision: 'approve' });
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toMatch(/[?&]code=/);
    expect(answered.headers.get('cache-control')).toBe('no-store');
    expect(answered.headers.get('pragma')).toBe('no-cache');
  });
});
