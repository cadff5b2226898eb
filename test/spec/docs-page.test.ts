import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/spec.js';
import { launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the reference page at /docs, as a person sees it', () => {
  it('lists every operation and every security scheme of the spec, loading nothing from elsewhere', async () => {
    const spec = loadSpec().document as { paths: Record<string, Record<string, { operationId?: string }>>; components: { securitySchemes: Record<string, unknown> } };
    const operationIds = Object.values(spec.paths).flatMap((item) => Object.values(item).flatMap((op) => (op?.operationId ? [op.operationId] : [])));
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    await page.goto(`${server.url}/docs`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    // docExpansion 'list' renders every operation's summary row, with its operationId shown.
    const listed = await page.$$eval('.opblock .opblock-summary-operation-id', (nodes) => nodes.map((n) => n.textContent?.trim() ?? ''));
    expect(listed.sort()).toEqual([...operationIds].sort());

    await page.click('.btn.authorize');
    await page.waitForSelector('.modal-ux-content');
    const dialog = (await page.textContent('.modal-ux-content')) ?? '';
    for (const scheme of Object.keys(spec.components.securitySchemes)) expect(dialog, scheme).toContain(scheme);
    expect(foreign).toEqual([]);
  }, 60_000);

  it('tries requests against the server it is served from, whatever its port', async () => {
    const page = await browser.newPage();
    const sent: string[] = [];
    page.on('request', (request) => sent.push(request.url()));
    await page.goto(`${server.url}/docs`);
    await page.waitForSelector('.opblock', { timeout: 20_000 });
    // The test server listens on a port of its own, never the spec's http://127.0.0.1:8080.
    expect(await page.$eval('.servers select', (select) => (select as HTMLSelectElement).value)).toBe(server.url);
    const operation = page.locator('.opblock', { has: page.locator('.opblock-summary-operation-id', { hasText: /^oauthMetadata$/ }) });
    await operation.locator('.opblock-summary').click();
    await operation.locator('.try-out__btn').click();
    await operation.locator('.execute').click();
    await operation.locator('.live-responses-table tbody .response-col_status').first().waitFor({ timeout: 20_000 });
    expect((await operation.locator('.live-responses-table tbody .response-col_status').first().textContent())?.trim()).toBe('200');
    expect(sent).toContain(`${server.url}/.well-known/oauth-authorization-server`);
  }, 60_000);
});
