import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { expectFitsPhone, expectRefusedPage, fieldError, openConsole, openPage, signIn, signedInConsole } from '../helpers/console.js';
import { superuser } from '../helpers/server.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * The organizations page (the superuser creates organizations) and an organization's page
 * (applications, client credentials, admins), in Chromium against a real server; every effect is
 * checked through the API as well as on the screen.
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

/** The value of a shown-once secret, by its label. */
function secret(page: import('playwright-core').Page, label: string) {
  return page.locator(`.secret code[data-secret="${label}"]`).textContent();
}

describe('the organizations page', () => {
  it('lets the superuser create an organization, whose client credentials are shown once and work', async () => {
    const session = await openConsole(browser, world.server.url);
    const { page } = session;
    await signIn(page, superuser.username, superuser.password);
    await page.getByLabel('Organization name').fill('initech');
    await page.getByLabel('First admin’s username').fill('initech-admin');
    await page.getByLabel('First admin’s email').fill('admin@initech.example');
    await page.getByLabel('First admin’s password').fill('initech-password');
    await page.getByRole('button', { name: 'Create organization', exact: true }).click();
    await page.getByRole('region', { name: 'Client credentials of initech', exact: true }).waitFor();
    const clientId = (await secret(page, 'Client id'))!;
    const clientSecret = (await secret(page, 'Client secret'))!;
    const asClient = await world.api({ query: { client_id: clientId, client_secret: clientSecret } }).GET('/management/orgs/{org}', { params: { path: { org: 'initech' } } });
    expect(asClient.data?.data.organization.name).toBe('initech');

    // The same name again: the API's refusal, next to the field it names.
    await page.getByLabel('Organization name').fill('initech');
    await page.getByLabel('First admin’s username').fill('initech-admin-2');
    await page.getByLabel('First admin’s email').fill('admin2@initech.example');
    await page.getByLabel('First admin’s password').fill('initech-password');
    await page.getByRole('button', { name: 'Create organization', exact: true }).click();
    const taken = await world.api(world.root).POST('/management/orgs', { body: { organization: 'initech', username: 'initech-admin-2', email: 'admin2@initech.example', password: 'initech-password' } });
    expect(taken.response.status).toBe(409);
    await expect.poll(() => fieldError(page, 'Organization name').textContent()).toBe((taken.error as { error_description?: string }).error_description);
    expect(await page.getByLabel('Organization name').getAttribute('aria-invalid')).toBe('true');

    // Listed once the page is drawn again; the secret is not shown again.
    await openPage(page, '#/o/initech', 'Organization initech');
    await openPage(page, '#/', 'Organizations');
    expect(await page.getByRole('table', { name: 'Organizations', exact: true }).getByRole('link', { name: 'initech', exact: true }).count()).toBe(1);
    expect(await page.locator('.secret').count()).toBe(0);
    expect(await page.content()).not.toContain(clientSecret);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('offers an organization admin no organization form, and shows the API’s refusal of another organization', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    expect(await page.getByRole('button', { name: 'Create organization', exact: true }).count()).toBe(0);
    await expectRefusedPage(page, '#/o/globex', await world.asAdmin.GET('/management/orgs/{org}', { params: { path: { org: 'globex' } } }));
    expect(await page.content()).not.toContain(world.globex.clientId);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);
});

describe('an organization’s page', () => {
  it('creates an application (its secrets shown once), rotates the organization’s secret, adds and removes an admin', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await page.getByRole('link', { name: 'acme', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Organization acme' }).waitFor();

    await page.getByLabel('New application’s name').fill('shop');
    await page.getByRole('button', { name: 'Create application', exact: true }).click();
    await page.getByRole('region', { name: 'Credentials of shop', exact: true }).waitFor();
    const appId = (await secret(page, 'Client id'))!;
    const appSecret = (await secret(page, 'Client secret'))!;
    const token = await world.api().POST('/{org}/{app}/token', { params: { path: { org: 'acme', app: 'shop' } }, body: { grant_type: 'client_credentials', client_id: appId, client_secret: appSecret } });
    expect(token.response.status).toBe(200);
    expect(await page.getByRole('table', { name: 'Applications', exact: true }).getByRole('link', { name: 'shop', exact: true }).count()).toBe(1);

    await page.getByRole('button', { name: 'Rotate client secret', exact: true }).click();
    await page.getByRole('region', { name: 'New client secret', exact: true }).waitFor();
    const rotated = (await page.getByRole('region', { name: 'New client secret', exact: true }).locator('code[data-secret="Client secret"]').textContent())!;
    const asClient = (clientSecret: string) => world.api({ query: { client_id: world.acme.clientId, client_secret: clientSecret } }).GET('/management/orgs/{org}', { params: { path: { org: 'acme' } } });
    expect((await asClient(rotated)).response.status).toBe(200);
    expect((await asClient(world.acme.clientSecret)).response.status).toBe(401);

    // An admin adds only an admin they already work with: globex's admin is none of acme's admin's
    // (the API's words beside the field), until both administer one organization.
    await page.getByLabel('Existing admin user (username or email)').fill(world.globex.admin.username);
    await page.getByRole('button', { name: 'Add admin', exact: true }).click();
    await expect.poll(() => fieldError(page, 'Existing admin user (username or email)').textContent()).toBe(`Could not find admin user ${world.globex.admin.username}`);
    const root = world.api(world.root);
    await root.POST('/management/orgs', { body: { organization: 'joint', username: 'joint-admin', email: 'admin@joint.example', password: 'joint-password' } });
    for (const admin of [world.acme.admin, world.globex.admin]) await root.PUT('/management/orgs/{org}/users/{user}', { params: { path: { org: 'joint', user: admin.username } } });
    await page.getByRole('button', { name: 'Add admin', exact: true }).click();
    const admins = page.getByRole('table', { name: 'Admins', exact: true });
    await admins.getByRole('cell', { name: world.globex.admin.username, exact: true }).first().waitFor();
    const listed = async () => (await world.asAdmin.GET('/management/orgs/{org}/users', { params: { path: { org: 'acme' } } })).data?.data.map((a) => a.username).sort();
    expect(await listed()).toEqual([world.acme.admin.username, world.globex.admin.username].sort());
    await admins.getByRole('button', { name: `Remove ${world.globex.admin.username}`, exact: true }).click();
    await expect.poll(listed).toEqual([world.acme.admin.username]);
    await expect.poll(() => admins.getByRole('cell', { name: world.globex.admin.username, exact: true }).count()).toBe(0);

    // The last admin cannot leave: the API's words beside the button.
    await admins.getByRole('button', { name: `Remove ${world.acme.admin.username}`, exact: true }).click();
    const lastAdmin = await world.asAdmin.DELETE('/management/orgs/{org}/users/{user}', { params: { path: { org: 'acme', user: world.acme.admin.username } } });
    expect(lastAdmin.response.status).toBeGreaterThanOrEqual(400);
    await expect.poll(() => admins.getByRole('alert').textContent()).toBe((lastAdmin.error as { error_description?: string }).error_description);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('fits a 390-pixel phone screen', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin, { viewport: { width: 390, height: 844 } });
    const { page } = session;
    await page.getByRole('link', { name: 'acme', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Organization acme' }).waitFor();
    await page.getByLabel('New application’s name').fill('phone-app');
    await page.getByRole('button', { name: 'Create application', exact: true }).click();
    await page.getByRole('region', { name: 'Credentials of phone-app', exact: true }).waitFor();
    await expectFitsPhone(page);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);
});
