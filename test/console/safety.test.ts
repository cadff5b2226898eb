import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleCsp } from '../../src/web/console.js';
import { launchChromium } from '../helpers/browser.js';
import { openConsole, signIn, signedInConsole } from '../helpers/console.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * What keeps the console safe, tried in Chromium: no token where a script or another site can
 * reach it (no cookie, no storage), a strict Content-Security-Policy that the browser enforces,
 * no framing, and no way for another site's page to act for a signed-in admin.
 */

let world: World;
let browser: Browser;
/** Another site (127.0.0.2 is not 127.0.0.1, to the browser): its pages are what the test serves. */
let elsewhere: { url: string; page: string; close(): Promise<void> };

beforeAll(async () => {
  world = await startWorld();
  browser = await launchChromium();
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(elsewhere.page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  elsewhere = {
    url: `http://127.0.0.2:${(server.address() as AddressInfo).port}`,
    page: '',
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
afterAll(async () => {
  await browser?.close();
  await elsewhere?.close();
  await world?.server.close();
});

describe('the console’s safety', () => {
  it('sends its strict policy with every file, sets no cookie, and keeps the token out of storage and globals', async () => {
    const session = await openConsole(browser, world.server.url);
    const { page, context } = session;
    const answers: Array<{ url: string; headers: Record<string, string> }> = [];
    page.on('response', (response) => answers.push({ url: response.url(), headers: response.headers() }));
    await page.reload();
    await signIn(page, world.acme.admin.username, world.acme.admin.password);
    await page.getByRole('link', { name: 'acme', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Organization acme' }).waitFor();

    const files = answers.filter((a) => new URL(a.url).pathname.startsWith('/console/'));
    expect(files.map((f) => new URL(f.url).pathname)).toEqual(expect.arrayContaining(['/console/', '/console/app.js', '/console/api.js', '/console/openapi-fetch.js', '/console/console.css']));
    for (const file of files) {
      expect(file.headers['content-security-policy'], file.url).toBe(consoleCsp);
      expect(file.headers['x-frame-options'], file.url).toBe('DENY');
      expect(file.headers['x-content-type-options'], file.url).toBe('nosniff');
    }
    expect(consoleCsp).toContain("default-src 'none'");
    expect(consoleCsp).toContain("script-src 'self'");
    expect(consoleCsp).toContain("frame-ancestors 'none'");
    expect(consoleCsp).not.toContain('unsafe');
    expect(answers.filter((a) => a.headers['set-cookie'] !== undefined).map((a) => a.url)).toEqual([]);
    expect(await context.cookies()).toEqual([]);

    const [token] = [...session.tokens];
    expect(token).toBeDefined();
    const reachable = await page.evaluate((secret) => {
      const found: string[] = [];
      if (document.cookie) found.push('document.cookie');
      if (localStorage.length > 0) found.push('localStorage');
      if (sessionStorage.length > 0) found.push('sessionStorage');
      for (const name of Object.getOwnPropertyNames(window)) {
        try {
          const value = (window as unknown as Record<string, unknown>)[name];
          if (typeof value === 'string' && value.includes(secret)) found.push(name);
          if (value && typeof value === 'object' && JSON.stringify(value)?.includes(secret)) found.push(name);
        } catch {
          // Cyclic or guarded objects: not where a token would be left.
        }
      }
      if (document.documentElement.outerHTML.includes(secret)) found.push('the document');
      return found;
    }, token!);
    expect(reachable).toEqual([]);
    expect(session.problems).toEqual([]);
    await context.close();
  }, 60_000);

  it('has the browser refuse HTML strings and inline script in the console', async () => {
    const session = await openConsole(browser, world.server.url);
    const { page } = session;
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const injected = await page.evaluate(() => {
      try {
        document.body.insertAdjacentHTML('beforeend', '<img src="x" id="injected">');
        return 'allowed';
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(injected).toBe('TypeError');
    expect(await page.locator('#injected').count()).toBe(0);
    const inline = await page.addScriptTag({ content: 'window.ranInline = true' }).then(
      () => page.evaluate(() => (window as unknown as { ranInline?: boolean }).ranInline === true),
      () => false,
    );
    expect(inline).toBe(false);
    await session.context.close();
  }, 60_000);

  it('cannot be framed by another site', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    elsewhere.page = `<!doctype html><title>elsewhere</title><iframe id="frame" src="${world.server.url}/console/"></iframe>`;
    // The console's answer reaches the browser, which then refuses to show it in the frame.
    await Promise.all([page.waitForResponse(`${world.server.url}/console/`), page.goto(elsewhere.url)]);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame).toBeDefined();
    await expect.poll(() => frame!.url()).toMatch(/^chrome-error:/);
    expect(await frame!.locator('form').count().catch(() => 0)).toBe(0);
    await context.close();
  }, 60_000);

  it('gives another site’s form post and fetch nothing to act with while an admin is signed in', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page, context } = session;
    const target = `${world.server.url}/management/orgs/acme/apps`;
    elsewhere.page = `<!doctype html><title>elsewhere</title>
      <form id="attack" method="post" action="${target}"><input name="name" value="planted"><button>Go</button></form>`;
    const other = await context.newPage();
    await other.goto(elsewhere.url);
    const [answer] = await Promise.all([other.waitForResponse(target), other.click('#attack button')]);
    expect(answer.status()).toBe(401);
    await other.goto(elsewhere.url);
    // Without credentials the API answers, and refuses: the page holds nothing to send. With
    // `credentials: 'include'` the browser will not even hand the answer over (CORS's * origin).
    const fetched = await other.evaluate(async (url) => {
      const plain = await fetch(url).then((answer) => answer.status);
      const included = await fetch(url, { credentials: 'include' }).then((answer) => answer.status, () => 'refused');
      return { plain, included };
    }, `${world.server.url}/management/orgs`);
    expect(fetched).toEqual({ plain: 401, included: 'refused' });
    const apps = await world.asAdmin.GET('/management/orgs/{org}/apps', { params: { path: { org: 'acme' } } });
    expect(apps.data?.data.applications.map((a) => a.name)).not.toContain('planted');
    expect(session.problems).toEqual([]);
    await context.close();
  }, 60_000);
});
