import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeApp } from '../helpers/fixtures.js';
import { codeFor, granted, passwordTokens, token, user } from '../helpers/oauth.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

/**
 * RFC 6749 §3.3 and RFC 6750 §3.1: an OAuth token does what its scopes say and no more (`write`
 * does not imply `read`), and a token of a third-party client acts for the user, never as the user
 * over their credentials (issue 11 §2, §14).
 */
let world: OAuthWorld;
const clock = new ManualClock(Date.now());
beforeAll(async () => {
  world = await startWorld({ clock, oauth: true });
});
afterAll(() => world.server.close());

const readUsers = (accessToken: string) => world.api(accessToken).GET('/{org}/{app}/users', { params: { path: acmeApp } });
const writeCat = (accessToken: string) =>
  world.api(accessToken).POST('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'cats' } }, body: { color: 'grey' } });

describe('OAuth scopes', () => {
  it('refuse a write-only token a read with 403 insufficient_scope, naming the scope it lacks', async () => {
    const { access_token } = await passwordTokens(world, 'write');
    const refused = await readUsers(access_token);
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ error: 'insufficient_scope' });
    expect(refused.response.headers.get('www-authenticate')).toContain('scope="read"');
    expect((await writeCat(access_token)).response.status).toBe(200);
  });

  it('refuse a read-only token a write, and let a read-and-write token do both', async () => {
    const readOnly = await passwordTokens(world, 'read');
    expect((await readUsers(readOnly.access_token)).response.status).toBe(200);
    expect((await writeCat(readOnly.access_token)).response.status).toBe(403);
    const both = await passwordTokens(world, 'read write');
    expect((await readUsers(both.access_token)).response.status).toBe(200);
    expect((await writeCat(both.access_token)).response.status).toBe(200);
  });

  it('refuse an OAuth token on an operation that takes no OAuth token', async () => {
    const { access_token } = await passwordTokens(world);
    const answer = await world.api(access_token).GET('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: acmeApp } });
    expect(answer.response.status).toBe(403);
  });
});

describe('a third-party client’s token', () => {
  it('changes the user’s profile but never their password, username or email, nor deletes them', async () => {
    const { code, verifier } = await codeFor(world, world.thirdParty);
    const tokens = granted(await token(world, { grant_type: 'authorization_code', code, redirect_uri: world.thirdParty.redirect_uris[0]!, code_verifier: verifier }, world.thirdParty));
    const me = { params: { path: { ...acmeApp, user: 'me' } } };
    const api = world.api(tokens.access_token);
    expect((await api.PUT('/{org}/{app}/users/{user}', { ...me, body: { name: 'Alice via an app' } })).response.status).toBe(200);
    for (const body of [{ password: 'chosen-by-the-app', oldpassword: user.password }, { email: 'app@evil.example' }, { username: 'renamed' }]) {
      expect((await api.PUT('/{org}/{app}/users/{user}', { ...me, body })).response.status, JSON.stringify(body)).toBe(403);
    }
    expect((await api.DELETE('/{org}/{app}/users/{user}', me)).response.status).toBe(403);
    // Nor signs the user out of everything else.
    expect((await api.POST('/{org}/{app}/users/{user}/revoketokens', me)).response.status).toBe(403);
    const firstParty = await passwordTokens(world);
    expect((await world.api(firstParty.access_token).GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status).toBe(200);
  });

  it('is not what a first-party client’s token is: that one changes the password with the old one', async () => {
    const { access_token } = await passwordTokens(world);
    const me = { params: { path: { ...acmeApp, user: 'me' } } };
    const changed = await world.api(access_token).PUT('/{org}/{app}/users/{user}', { ...me, body: { password: 'alice-password-2', oldpassword: user.password } });
    expect(changed.response.status).toBe(200);
    // Put it back for the other tests of this file.
    await world.api(world.acme.admin.token).PUT('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: 'alice' } }, body: { password: user.password } });
  });
});
