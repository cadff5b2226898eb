import * as oauth from 'oauth4webapi';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { acmeApp } from '../helpers/fixtures.js';
import { callbackServer, user, type RegisteredClient } from '../helpers/oauth.js';
import { systemClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

/**
 * The authorization code flow as a person meets it: a real headless Chromium (JavaScript off, to
 * prove the pages need none) signs in and approves on the server's pages, and lands on a loopback
 * redirect URI served by the test, as a native app's would be (RFC 8252). The strict client
 * oauth4webapi checks the callback and exchanges the code.
 */

let world: OAuthWorld;
let browser: Browser;
let callback: Awaited<ReturnType<typeof callbackServer>>;
let native: RegisteredClient;
let as: oauth.AuthorizationServer;
const insecure = { [oauth.allowInsecureRequests]: true };

beforeAll(async () => {
  world = await startWorld({ clock: systemClock, oauth: true });
  callback = await callbackServer();
  native = await world.register({ name: 'Acme desktop', redirect_uris: [callback.url], token_endpoint_auth_method: 'none' });
  const issuer = new URL(world.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await callback?.close();
  await world?.server.close();
});

/** A fresh browser profile without JavaScript, recording every request it makes. */
async function freshPage(): Promise<{ context: BrowserContext; page: Page; requested: string[] }> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  return { context, page, requested };
}

async function authorizationUrl(state: string, challenge: string, scope = 'read write'): Promise<string> {
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: native.client_id, redirect_uri: callback.url, response_type: 'code', scope, state, code_challenge: challenge, code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

describe('the authorization code flow with PKCE in Chromium', () => {
  it('signs in, approves, lands on the loopback redirect URI, and the code buys tokens that work', async () => {
    const { context, page, requested } = await freshPage();
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    await page.goto(await authorizationUrl(state, await oauth.calculatePKCECodeChallenge(verifier)));
    expect(await page.title()).toBe('Sign in to app');
    expect(await page.textContent('main')).toContain('Acme desktop wants to use your account.');

    await page.fill('#username', 'wrong-user');
    await page.fill('#password', 'wrong-password');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.textContent('.error')).toBe('The username or password is wrong.');

    await page.fill('#username', user.username);
    await page.fill('#password', user.password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    const consent = (await page.textContent('main')) ?? '';
    expect(consent).toContain('Allow Acme desktop to use your account?');
    expect(consent).toContain('Signed in as alice');
    expect(consent).toContain('Read your data in this application');
    expect(consent).toContain('Change your data in this application');

    await Promise.all([page.waitForURL((url) => url.href.startsWith(callback.url)), page.click('button[value=approve]')]);
    const landed = new URL(page.url());
    expect(await page.textContent('p')).toBe('You can close this window.');
    expect(callback.callbacks.some((url) => url.searchParams.get('code') === landed.searchParams.get('code'))).toBe(true);

    const client: oauth.Client = { client_id: native.client_id };
    const params = oauth.validateAuthResponse(as, client, landed, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, callback.url, verifier, insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.expires_in).toBe(7200);
    expect(tokens.scope).toBe('read write');
    expect(tokens.refresh_token).toMatch(/^tsr_ort_/);

    const users = await world.api(tokens.access_token).GET('/{org}/{app}/users', { params: { path: acmeApp } });
    expect(users.response.status).toBe(200);

    const origins = new Set(requested.map((url) => new URL(url).origin));
    expect([...origins].sort()).toEqual([new URL(world.issuer).origin, new URL(callback.url).origin].sort());
    await context.close();
  });

  it('sends a denial back to the client as access_denied with the state and iss', async () => {
    const { context, page } = await freshPage();
    const state = oauth.generateRandomState();
    await page.goto(await authorizationUrl(state, await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), 'read'));
    await page.fill('#username', user.email);
    await page.fill('#password', user.password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.textContent('main')).not.toContain('Change your data');
    await Promise.all([page.waitForURL((url) => url.href.startsWith(callback.url)), page.click('button[value=deny]')]);
    const landed = new URL(page.url());
    expect(landed.searchParams.get('error')).toBe('access_denied');
    expect(landed.searchParams.get('state')).toBe(state);
    expect(landed.searchParams.get('iss')).toBe(world.issuer);
    expect(() => oauth.validateAuthResponse(as, { client_id: native.client_id }, landed, state)).toThrow(oauth.AuthorizationResponseError);
    await context.close();
  });

  it('shows an unregistered redirect URI as an error page and stays on the server', async () => {
    const { context, page } = await freshPage();
    const url = new URL(await authorizationUrl('s', await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier())));
    url.searchParams.set('redirect_uri', 'http://127.0.0.1:1/elsewhere');
    const response = await page.goto(url.href);
    expect(response?.status()).toBe(400);
    expect(new URL(page.url()).origin).toBe(new URL(world.issuer).origin);
    expect(await page.textContent('.error')).toMatch(/^The request does not name a registered client with one of its registered redirect URIs/);
    await context.close();
  });

  it('9700-11: refuses to show the login page inside a frame', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const framed = await authorizationUrl('s', await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()));
    await page.goto(callback.url);
    // setContent resolves on the page's load event, which waits for the frame to finish (or fail).
    await page.setContent(`<iframe id="f" src="${framed.replace(/&/g, '&amp;')}"></iframe>`, { waitUntil: 'load' });
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    const content = await frame!.content();
    expect(content).not.toContain('name="password"');
    expect(frame!.url()).not.toContain('/oauth/authorize');
    await context.close();
  });
});
