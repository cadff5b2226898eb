import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { launchChromium } from '../helpers/browser.js';
import { expectFitsPhone, expectRefusedPage, fieldError, openPage, rowOf, signIn, signedInConsole } from '../helpers/console.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * The API tokens page (`#/o/:org/a/:app/api-tokens`), in Chromium against a real server: a token
 * made in the console works through the API with the access it was given, its value is shown once
 * and never again, and revoking it in the console refuses its next request.
 */

const clock = new ManualClock();
let world: World;
let browser: Browser;

beforeAll(async () => {
  world = await startWorld({ clock });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await world?.server.close();
});

/** acme's application users, read with `token`: the status the API answers. */
async function readUsers(token: string): Promise<number> {
  return (await world.api(token).GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status;
}

/** Creates a token on the page's form and returns the value the shown-once box holds. */
async function createToken(page: Page, name: string, access: 'read' | 'full'): Promise<string> {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Access').selectOption(access);
  await page.getByRole('button', { name: 'Create API token' }).click();
  const shown = page.getByRole('region', { name: `API token ${name}`, exact: true }).locator('code');
  await shown.waitFor();
  return (await shown.textContent()) ?? '';
}

describe('the API tokens page', () => {
  it('creates a read token whose value is shown once and copied, works for reads only, and stops at its revocation', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin, { permissions: ['clipboard-read', 'clipboard-write'] });
    const { page } = session;
    await page.getByRole('link', { name: 'acme', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Organization acme' }).waitFor();
    await openPage(page, '#/o/acme/a/app/api-tokens', 'API tokens of app');
    expect(await page.getByText('No API tokens yet').isVisible()).toBe(true);

    const value = await createToken(page, 'nightly-export', 'read');
    expect(value).not.toBe('');
    // Its Copy button puts the value on the clipboard, and says so.
    const copy = page.getByRole('region', { name: 'API token nightly-export' }).getByRole('button', { name: 'Copy Token', exact: true });
    await copy.click();
    await expect.poll(() => copy.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    await expect.poll(() => rowOf(page, 'API tokens', 'nightly-export').textContent()).toContain('Read access');
    expect(await rowOf(page, 'API tokens', 'nightly-export').textContent()).toContain('Never used');
    expect(page.url()).not.toContain(value);

    // The value the page showed is the token: it reads, and any write is refused.
    clock.advance(5 * 60_000);
    expect(await readUsers(value)).toBe(200);
    const write = await world.api(value).POST('/{org}/{app}/users', { params: { path: acmeApp }, body: { username: 'written-by-token', password: 'written-password' } });
    expect(write.response.status).toBe(403);
    const listed = ok(await world.asAdmin.GET('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: acmeApp } })).data.api_tokens;
    expect(listed.map((t) => [t.name, t.access])).toEqual([['nightly-export', 'read']]);

    // Drawn again from the server: its use is there, its value is not.
    await openPage(page, '#/o/acme', 'Organization acme');
    await openPage(page, '#/o/acme/a/app/api-tokens', 'API tokens of app');
    expect(await rowOf(page, 'API tokens', 'nightly-export').textContent()).not.toContain('Never used');
    expect(await page.content()).not.toContain(value);

    await page.getByRole('button', { name: 'Revoke nightly-export', exact: true }).click();
    await page.getByText('No API tokens yet').waitFor();
    expect(await readUsers(value)).toBe(401);
    expect(ok(await world.asAdmin.GET('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: acmeApp } })).data.api_tokens).toEqual([]);

    // A reload forgets everything the page held: signed in again, the value is nowhere.
    // (Signed in again, the console returns to the address it was at.)
    await page.reload();
    await signIn(page, world.acme.admin.username, world.acme.admin.password, 'API tokens of app');
    expect(await page.content()).not.toContain(value);
    expect(await page.evaluate((secret) => document.body.innerText.includes(secret) || [...document.querySelectorAll('input, textarea')].some((e) => (e as HTMLInputElement).value.includes(secret)), value)).toBe(false);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows the API’s refusal of a name too long next to the name field, and creates nothing', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/api-tokens', 'API tokens of app');
    await page.getByLabel('Name', { exact: true }).fill('x'.repeat(300));
    await page.getByRole('button', { name: 'Create API token' }).click();
    await expect.poll(() => fieldError(page, 'Name').textContent()).toMatch(/name must NOT have more than 256 characters/);
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('region', { name: /^API token/ }).count()).toBe(0);
    expect(ok(await world.asAdmin.GET('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: acmeApp } })).data.api_tokens).toEqual([]);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows acme’s admin the API’s refusal at globex’s tokens, not the tokens', async () => {
    ok(await world.api(world.globex.admin.token).POST('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: { org: 'globex', app: 'app' } }, body: { name: 'globex-private-export', access: 'full' } }));
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await expectRefusedPage(page, '#/o/globex/a/app/api-tokens', await world.asAdmin.GET('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: { org: 'globex', app: 'app' } } }));
    expect(await page.content()).not.toContain('globex-private-export');
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('creates a full-access token on a phone, without scrolling sideways', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin, { viewport: { width: 390, height: 844 } });
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/api-tokens', 'API tokens of app');
    const value = await createToken(page, 'deploy-bot', 'full');
    await expect.poll(() => rowOf(page, 'API tokens', 'deploy-bot').textContent()).toContain('Full access');
    // Full access writes.
    const write = await world.api(value).POST('/{org}/{app}/users', { params: { path: acmeApp }, body: { username: 'made-by-deploy-bot', password: 'deploy-bot-password' } });
    expect(write.response.status).toBe(200);
    await expectFitsPhone(page);
    await page.getByRole('button', { name: 'Revoke deploy-bot', exact: true }).click();
    await expect.poll(() => rowOf(page, 'API tokens', 'deploy-bot').count()).toBe(0);
    expect(await readUsers(value)).toBe(401);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);
});
