import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/** A console page in a fresh browser profile, and what went wrong in it. */
export interface ConsoleSession {
  context: BrowserContext;
  page: Page;
  /**
   * What a person would never see but a test must: uncaught script errors, console errors (a
   * Content-Security-Policy violation is one), and requests to anywhere but the server.
   */
  problems: string[];
  /** The Authorization header of the console's API requests: read off the wire, never from the page. */
  tokens: Set<string>;
}

/**
 * How a console's profile is made: a `viewport` of 390×844 is a phone; `accept` answers the
 * confirm() dialogs of destructive buttons (the default), or dismisses them; `permissions` are the
 * browser's (`['clipboard-read', 'clipboard-write']` lets a test read what a Copy button copied).
 */
export interface ConsoleOptions {
  viewport?: { width: number; height: number };
  accept?: boolean;
  permissions?: string[];
}

/** Opens /console/ in a fresh profile made as `options` say. */
export async function openConsole(browser: Browser, baseUrl: string, options: ConsoleOptions = {}): Promise<ConsoleSession> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, permissions: options.permissions ?? [] });
  const page = await context.newPage();
  const problems: string[] = [];
  const tokens = new Set<string>();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A 4xx answer the console shows as a message is not a fault of the page; everything else is.
    if (message.type() === 'error' && !/the server responded with a status of 4\d\d/.test(message.text())) problems.push(`console error: ${message.text()}`);
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(baseUrl)) problems.push(`request elsewhere: ${request.url()}`);
    const authorization = request.headers().authorization;
    if (authorization?.startsWith('Bearer ')) tokens.add(authorization.slice('Bearer '.length));
  });
  page.on('dialog', (dialog) => void (options.accept === false ? dialog.dismiss() : dialog.accept()));
  await page.goto(`${baseUrl}/console/`);
  return { context, page, problems, tokens };
}

/**
 * Signs in on the console's form and waits for the page it lands on: the organizations page, or
 * `landing` (signed in at a bookmarked address, or again after a reload, the console returns there).
 */
export async function signIn(page: Page, username: string, password: string, landing: string | RegExp = 'Organizations'): Promise<void> {
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: landing, exact: true }).waitFor();
}

/** Opens a console address (`#/o/acme/a/app/users`) and waits for its heading. */
export async function openPage(page: Page, hash: string, heading: string | RegExp): Promise<void> {
  await page.evaluate((to) => {
    location.hash = to;
  }, hash);
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
}

/** A console signed in as `who` (an admin's or the superuser's username and password), on the organizations page. */
export async function signedInConsole(browser: Browser, baseUrl: string, who: { username: string; password: string }, options: ConsoleOptions = {}): Promise<ConsoleSession> {
  const session = await openConsole(browser, baseUrl, options);
  await signIn(session.page, who.username, who.password);
  return session;
}

/** The error shown under the field labelled `label`. */
export function fieldError(page: Page, label: string) {
  return page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.error');
}

/** The row of the table named `table` that has `text` in it. */
export function rowOf(page: Page, table: string, text: string) {
  return page.getByRole('table', { name: table, exact: true }).getByRole('row').filter({ hasText: text });
}

/**
 * The page fits a 390-pixel phone: nothing scrolls sideways, neither the page nor any table (a
 * table too wide would hide its columns inside its own scrolling box).
 */
export async function expectFitsPhone(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    tablesTooWide: [...document.querySelectorAll('.table-wrap')]
      .filter((wrap) => wrap.scrollWidth > wrap.clientWidth + 1)
      .map((wrap) => wrap.querySelector('table')?.getAttribute('aria-label') ?? 'a table'),
  }));
  expect(widths.page).toBeLessThanOrEqual(390);
  expect(widths.tablesTooWide).toEqual([]);
}

/** What the API answered a request it refused (a result of the typed client `world.api(...)`). */
export interface Refusal {
  response: Response;
  error?: unknown;
}

/**
 * Opens `hash` and expects the console's "Cannot show this page" with exactly the words the API
 * answered `refusal` (the same request made through the typed client), not a page of data.
 */
export async function expectRefusedPage(page: Page, hash: string, refusal: Refusal): Promise<void> {
  expect(refusal.response.status).toBeGreaterThanOrEqual(400);
  expect(refusal.response.status).toBeLessThan(500);
  const words = (refusal.error as { error_description?: string } | undefined)?.error_description;
  expect(words).toBeTruthy();
  await openPage(page, hash, 'Cannot show this page');
  expect(await page.locator('main [role="alert"]').textContent()).toBe(words);
}
