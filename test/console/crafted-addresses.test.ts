import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { openPage, signedInConsole } from '../helpers/console.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * A console address is anyone's to write and send to an admin: what it names must not steer the
 * console's requests elsewhere, nor put the sender's words on the page.
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

describe('crafted console addresses', () => {
  it('never let `.` or `..` in an address become a path segment of an API request', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    for (const hash of ['#/o/acme/a/%2e%2e', '#/o/acme/a/app/roles/%2e%2e', '#/o/%2e%2e/a/app', '#/o/acme/a/.', '#/o/acme/a/app/users/%2E']) {
      await openPage(page, hash, 'Not found');
    }
    // Only the console's own files were fetched: no API request was made for these addresses.
    expect(requested.filter((path) => !path.startsWith('/console/'))).toEqual([]);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('offer several kinds of audit events as one choice only when each is a kind', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await openPage(page, '#/o/acme/audit-events?kind=auth.failed,auth.throttled', 'Audit events of acme');
    expect(await page.getByLabel('Kind').locator('option:checked').textContent()).toBe('These kinds: auth.failed, auth.throttled');
    await openPage(page, '#/o/acme/audit-events?kind=auth.failed,Session%20expired%3A%20sign%20in%20at%20evil.example', 'Audit events of acme');
    expect(await page.getByLabel('Kind').locator('option').allTextContents()).not.toContainEqual(expect.stringContaining('evil.example'));
    await session.context.close();
  }, 60_000);

  it('skip to the content without changing the address', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await openPage(page, '#/o/acme', 'Organization acme');
    // The first thing the keyboard reaches on the page.
    expect(await page.evaluate(() => document.querySelector('a[href], button, input, select, textarea')?.textContent)).toBe('Skip to content');
    await page.locator('#skip').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(await page.evaluate(() => location.hash)).toBe('#/o/acme');
    expect(await page.getByRole('heading', { level: 1, name: 'Organization acme' }).count()).toBe(1);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);
});
