import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { openConsole, signIn, signedInConsole } from '../helpers/console.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * Signing in and out of the console, in Chromium against a real server: the console is a client of
 * the management API's password grant, its token lives in the page's memory only, and what signing
 * in issued, signing out (or leaving the page) revokes.
 */

let world: World;
let browser: Browser;

beforeAll(async () => {
  world = await startWorld();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await world?.server.close();
});

/** Whether the server still accepts `token` as an admin's. */
async function accepted(token: string): Promise<boolean> {
  const answer = await world.api(token).GET('/management/orgs', {});
  return answer.response.ok;
}

describe('the console sign-in', () => {
  it('signs an organization admin in to their organizations only, and signing out revokes the token it used', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await expect.poll(() => page.getByRole('table', { name: 'Organizations' }).getByRole('link').allTextContents()).toEqual(['acme']);
    await expect.poll(() => page.locator('#account').textContent()).toContain(world.acme.admin.username);
    expect(session.tokens.size).toBe(1);
    const [token] = [...session.tokens];
    expect(await accepted(token!)).toBe(true);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in', exact: true }).waitFor();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('signed out');
    expect(await accepted(token!)).toBe(false);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows the API’s refusal of a wrong password next to the form, and its lockout after repeated guesses', async () => {
    await world.api(world.root).POST('/management/orgs', { body: { organization: 'guessed', username: 'guessed-admin', email: 'admin@guessed.example', password: 'guessed-password' } });
    const session = await openConsole(browser, world.server.url);
    const { page } = session;
    const attempt = async (password: string) => {
      await page.getByLabel('Username or email').fill('guessed-admin');
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Sign in', exact: true }).isEnabled()).toBe(true);
      return (await page.locator('form .form-error').textContent()) ?? '';
    };
    expect(await attempt('wrong-1')).toMatch(/invalid username or password/i);
    for (let i = 2; i <= 5; i++) await attempt(`wrong-${i}`);
    // The sixth attempt waits, the right password included: the API's brute-force rule, in its words.
    expect(await attempt('guessed-password')).toMatch(/too many|try again/i);
    expect(await page.getByRole('heading', { level: 1, name: 'Sign in', exact: true }).isVisible()).toBe(true);
    expect(session.tokens.size).toBe(0);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('revokes the token when the page is reloaded or closed, and asks to sign in again', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    const [first] = [...session.tokens];
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in', exact: true }).waitFor();
    await expect.poll(() => accepted(first!)).toBe(false);

    await signIn(page, world.acme.admin.username, world.acme.admin.password);
    const second = [...session.tokens].find((t) => t !== first);
    expect(second).toBeDefined();
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => accepted(second!)).toBe(false);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('goes back to the sign-in page, saying why, when the server stops accepting the token', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    // The admin's tokens revoked elsewhere (another console, the CLI, an operator).
    const revoked = await world.api(world.root).POST('/management/users/{user}/revoketokens', { params: { path: { user: world.acme.admin.username } } });
    expect(revoked.response.status).toBe(200);
    await page.getByRole('link', { name: 'acme', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in', exact: true }).waitFor();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/session ended/i);
    // Signed in again, it returns to the address it was at.
    await signIn(page, world.acme.admin.username, world.acme.admin.password, 'Organization acme');
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('asks to sign in again when the browser goes back to it from another page', async () => {
    const withCache = await launchChromium({ backForwardCache: true });
    try {
      const session = await signedInConsole(withCache, world.server.url, world.acme.admin);
      const { page } = session;
      const [token] = [...session.tokens];
      await page.goto(`${world.server.url}/docs`);
      // Leaving the page revoked its token; a page the browser kept (its back/forward cache) must not look signed in.
      await expect.poll(() => accepted(token!)).toBe(false);
      // A page restored from that cache fires no load event: wait for the navigation's commit only.
      await page.goBack({ waitUntil: 'commit' });
      await page.getByRole('heading', { level: 1, name: 'Sign in', exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Sign out', exact: true }).isVisible()).toBe(false);
      expect(session.problems).toEqual([]);
      await session.context.close();
    } finally {
      await withCache.close();
    }
  }, 60_000);
});
