import type { Browser, BrowserContext, Page } from 'playwright-core';

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
 * Opens /console/ in a fresh profile (a `viewport` of 390×844 is a phone). `accept` answers the
 * confirm() dialogs of destructive buttons (the default), or dismisses them.
 */
export async function openConsole(browser: Browser, baseUrl: string, options: { viewport?: { width: number; height: number }; accept?: boolean } = {}): Promise<ConsoleSession> {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 } });
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

/** Signs in on the console's form and waits for the organizations page. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
}

/** Opens a console address (`#/o/acme/a/app/users`) and waits for its heading. */
export async function openPage(page: Page, hash: string, heading: string | RegExp): Promise<void> {
  await page.evaluate((to) => {
    location.hash = to;
  }, hash);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** A console signed in as `who` (an admin's or the superuser's username and password), on the organizations page. */
export async function signedInConsole(browser: Browser, baseUrl: string, who: { username: string; password: string }, options: { viewport?: { width: number; height: number }; accept?: boolean } = {}): Promise<ConsoleSession> {
  const session = await openConsole(browser, baseUrl, options);
  await signIn(session.page, who.username, who.password);
  return session;
}

/** The error shown under the field labelled `label`. */
export function fieldError(page: Page, label: string) {
  return page.locator('.field', { has: page.getByLabel(label, { exact: true }) }).locator('.error');
}
