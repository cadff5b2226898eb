import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { expectFitsPhone, expectRefusedPage, fieldError, openConsole, openPage, signIn, signedInConsole } from '../helpers/console.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ok } from '../helpers/api.js';
import { openSession, postSession, qb, sessionRequest } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

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

const settingsOf = async () => ok(await world.asAdmin.GET('/management/orgs/{org}/apps/{app}', { params: { path: acmeApp } })).data.application.settings;

/** Signs in as acme's admin and walks to the application's page by its links. */
async function openApplication(page: Page): Promise<void> {
  await signIn(page, world.acme.admin.username, world.acme.admin.password);
  await page.getByRole('link', { name: 'acme', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Organization acme' }).waitFor();
  await page.getByRole('link', { name: 'app', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Application app' }).waitFor();
}

describe('applicationPage: an application’s settings and credentials', () => {
  it('saves the token life cap and the QuickBlox session times in hours, minutes and days, and shows them as the server has them', async () => {
    const session = await openConsole(browser, world.server.url);
    const { page } = session;
    await openApplication(page);
    await expect(page.getByRole('navigation', { name: 'Application' }).getByRole('link', { name: 'Settings and credentials' }).getAttribute('aria-current')).resolves.toBe('page');
    // The server's defaults, in a person's units.
    expect(await page.getByLabel('Longest life of a user’s token').inputValue()).toBe('');
    expect(await page.getByLabel('QuickBlox session idle time').inputValue()).toBe('2');
    expect(await page.getByLabel('Unit of the idle time').inputValue()).toBe('hours');

    await page.getByLabel('Longest life of a user’s token').fill('12');
    await page.getByLabel('Unit of the token life').selectOption('hours');
    await page.getByLabel('QuickBlox session idle time').fill('30');
    await page.getByLabel('Unit of the idle time').selectOption('minutes');
    await page.getByLabel('QuickBlox session lifetime').fill('2');
    await page.getByLabel('Unit of the session lifetime').selectOption('days');
    await page.getByLabel('What application sessions may do').selectOption('read-all');
    await page.getByRole('button', { name: 'Save settings', exact: true }).click();

    await page.getByRole('status').filter({ hasText: 'Settings saved. Shown below' }).waitFor();
    expect(await settingsOf()).toEqual({ accesstokenttl: 12 * 3600 * 1000, sessionttl: 30 * 60, sessionlifetime: 2 * 86400, appsessionaccess: 'read-all' });
    // Drawn again from the server's answer.
    expect(await page.getByLabel('Longest life of a user’s token').inputValue()).toBe('12');
    expect(await page.getByLabel('Unit of the token life').inputValue()).toBe('hours');
    expect(await page.getByLabel('QuickBlox session idle time').inputValue()).toBe('30');
    expect(await page.getByLabel('Unit of the idle time').inputValue()).toBe('minutes');
    expect(await page.getByLabel('What application sessions may do').inputValue()).toBe('read-all');
    const summary = page.locator('section', { has: page.getByRole('heading', { name: 'Settings', exact: true }) }).locator('dl');
    await expect(summary.textContent()).resolves.toContain('12 hours');
    await expect(summary.textContent()).resolves.toContain('30 minutes');

    // Empty is the server's default; 0 never expires.
    await page.getByLabel('Longest life of a user’s token').fill('');
    await page.getByRole('button', { name: 'Save settings', exact: true }).click();
    await summary.getByText('the server’s default (7 days)', { exact: true }).waitFor();
    expect((await settingsOf()).accesstokenttl).toBeNull();
    await page.getByLabel('Longest life of a user’s token').fill('0');
    await page.getByRole('button', { name: 'Save settings', exact: true }).click();
    await summary.getByText('never expire', { exact: true }).waitFor();
    expect((await settingsOf()).accesstokenttl).toBe(0);

    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('says next to the idle time that it must be between 1 minute and 30 days, and changes nothing', async () => {
    const before = await settingsOf();
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await openPage(page, '#/o/acme/a/app', 'Application app');
    const idle = page.getByLabel('QuickBlox session idle time');
    await idle.fill('31');
    await page.getByLabel('Unit of the idle time').selectOption('days');
    await page.getByRole('button', { name: 'Save settings', exact: true }).click();
    await expect.poll(() => fieldError(page, 'QuickBlox session idle time').textContent()).toBe('sessionttl must be between 1 minute and 30 days.');
    expect(await idle.getAttribute('aria-invalid')).toBe('true');
    expect(await settingsOf()).toEqual(before);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows the ids, and after a confirm rotates the secrets: the new ones shown once with copy buttons, the old ones refused at once', async () => {
    const session = await openConsole(browser, world.server.url);
    const { page } = session;
    const questions: string[] = [];
    page.on('dialog', (dialog) => questions.push(dialog.message()));
    await openApplication(page);
    const credentials = page.locator('section', { has: page.getByRole('heading', { name: 'Credentials', exact: true }) });
    await expect(credentials.textContent()).resolves.toContain(world.acme.app.clientId);
    await expect(credentials.textContent()).resolves.toContain(String(world.acme.app.applicationId));
    await expect(credentials.textContent()).resolves.toContain(world.acme.app.authKey);
    await credentials.getByRole('button', { name: 'Copy client id' }).waitFor();

    await page.getByRole('button', { name: 'Rotate secrets', exact: true }).click();
    const secrets = page.getByRole('region', { name: 'New secrets of app' });
    await secrets.waitFor();
    expect(questions).toEqual([expect.stringContaining('stop working at once')]);
    const clientSecret = (await secrets.locator('[data-secret="Client secret"]').textContent()) ?? '';
    const authSecret = (await secrets.locator('[data-secret="QuickBlox auth secret"]').textContent()) ?? '';
    expect(clientSecret).not.toBe(world.acme.app.clientSecret);
    expect(authSecret).not.toBe(world.acme.app.authSecret);
    await secrets.getByRole('button', { name: 'Copy Client secret' }).waitFor();
    await secrets.getByRole('button', { name: 'Copy QuickBlox auth secret' }).waitFor();
    await expect(secrets.textContent()).resolves.toContain('Shown once');

    // The API: the old client secret and auth secret are refused, the new ones accepted.
    const asClient = (secret: string) => qb(world.server.url, { query: { client_id: world.acme.app.clientId, client_secret: secret } }).GET('/{org}/{app}/users', { params: { path: acmeApp } });
    expect((await asClient(world.acme.app.clientSecret)).response.status).toBe(401);
    expect((await asClient(clientSecret)).response.status).toBe(200);
    expect((await postSession(qb(world.server.url), sessionRequest(world.acme, world.clock))).response.status).not.toBe(201);
    await openSession(world.server.url, { app: { ...world.acme.app, authSecret } }, world.clock);

    // Shown once: drawn again, the page has the ids and no secret.
    const tabs = page.getByRole('navigation', { name: 'Application' });
    await tabs.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Users of app', exact: true }).waitFor();
    await tabs.getByRole('link', { name: 'Settings and credentials', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Application app', exact: true }).waitFor();
    expect(await page.locator('main').textContent()).not.toContain(clientSecret);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('keeps the secrets when the confirm is dismissed', async () => {
    // Secrets this test knows, whatever the tests before it rotated.
    const known = ok(await world.asAdmin.POST('/management/orgs/{org}/apps/{app}/credentials', { params: { path: acmeApp } })).credentials;
    const session = await signedInConsole(browser, world.server.url, world.acme.admin, { accept: false });
    const { page } = session;
    await openPage(page, '#/o/acme/a/app', 'Application app');
    const rotations: string[] = [];
    page.on('request', (request) => void (request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/credentials') && rotations.push(request.url())));
    const asked: string[] = [];
    page.once('dialog', (dialog) => void asked.push(dialog.message()));
    await page.getByRole('button', { name: 'Rotate secrets', exact: true }).click();
    // A round trip to the server after the click: a rotation the click had sent would be on the wire by then.
    await page.getByRole('navigation', { name: 'Application' }).getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Users of app', exact: true }).waitFor();
    expect(asked).toEqual([expect.stringContaining('stop working at once')]);
    expect(rotations).toEqual([]);
    // The API: the client secret the application had still works.
    const asClient = qb(world.server.url, { query: { client_id: known.client_id, client_secret: known.client_secret } });
    expect((await asClient.GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status).toBe(200);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('fits a 390-pixel phone while saving the settings', async () => {
    const session = await openConsole(browser, world.server.url, { viewport: { width: 390, height: 844 } });
    const { page } = session;
    await openApplication(page);
    await page.getByLabel('QuickBlox session idle time').fill('3');
    await page.getByLabel('Unit of the idle time').selectOption('hours');
    await page.getByRole('button', { name: 'Save settings', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved. Shown below' }).waitFor();
    expect((await settingsOf()).sessionttl).toBe(3 * 3600);
    await expectFitsPhone(page);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows acme’s admin the API’s refusal, not globex’s application, at a globex address', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    const refusal = await world.asAdmin.GET('/management/orgs/{org}/apps/{app}', { params: { path: { org: 'globex', app: 'app' } } });
    expect(refusal.response.status).toBe(403);
    await expectRefusedPage(page, '#/o/globex/a/app', refusal);
    expect(await page.locator('main').textContent()).not.toContain(world.globex.app.clientId);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);
});
