import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm, ok } from '../helpers/api.js';
import { launchChromium } from '../helpers/browser.js';
import { expectFitsPhone, expectRefusedPage, fieldError, openPage, rowOf, signedInConsole } from '../helpers/console.js';
import { basic } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * The OAuth clients page (`#/o/:org/a/:app/oauth-clients`), in Chromium against a real server: a
 * client registered in the console gets tokens with the secret it showed once, stops getting them
 * when deleted there, and a redirect URI the API refuses is refused next to its field.
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

/** The client credentials grant with HTTP Basic: the status the token endpoint answers. */
async function clientCredentials(clientId: string, clientSecret: string): Promise<number> {
  const answer = await world.api({ headers: { authorization: basic(clientId, clientSecret) } }).POST('/oauth/token', { body: { grant_type: 'client_credentials' }, ...asForm });
  return answer.response.status;
}

const listClients = async () => ok(await world.asAdmin.GET('/management/orgs/{org}/apps/{app}/clients', { params: { path: acmeApp } })).clients;

/** The registration form's grant type checkboxes: ticks exactly `grants`. */
async function chooseGrants(page: Page, grants: RegExp[]): Promise<void> {
  const group = page.getByRole('group', { name: 'Grant types' });
  for (const box of await group.getByRole('checkbox').all()) await box.uncheck();
  for (const grant of grants) await group.getByRole('checkbox', { name: grant }).check();
}

describe('the OAuth clients page', () => {
  it('registers a client whose id and secret are shown once and work, and deleting it stops them', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await page.getByRole('link', { name: 'acme', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Organization acme' }).waitFor();
    await openPage(page, '#/o/acme/a/app/oauth-clients', 'OAuth clients of app');
    expect(await page.getByText('No OAuth clients yet').isVisible()).toBe(true);

    await page.getByLabel('Name', { exact: true }).fill('Reports service');
    await page.getByLabel('Redirect URIs').fill('https://reports.example/oauth/callback\nhttp://127.0.0.1:8400/callback\n');
    await chooseGrants(page, [/^Authorization code/, /^Client credentials/]);
    await page.getByRole('button', { name: 'Register client' }).click();
    const shown = page.getByRole('region', { name: 'Client Reports service', exact: true });
    await shown.waitFor();
    const clientId = (await shown.locator('[data-secret="Client id"]').textContent()) ?? '';
    const clientSecret = (await shown.locator('[data-secret="Client secret"]').textContent()) ?? '';
    expect(clientId).toMatch(/^oc_/);
    expect(clientSecret).not.toBe('');
    expect(await shown.getByRole('button', { name: 'Copy Client secret' }).isVisible()).toBe(true);
    await expect.poll(() => rowOf(page, 'OAuth clients', 'Reports service').textContent()).toContain(clientId);
    expect(await rowOf(page, 'OAuth clients', 'Reports service').textContent()).toContain('authorization code, client credentials');
    expect(await rowOf(page, 'OAuth clients', 'Reports service').textContent()).not.toContain(clientSecret);

    // As the API registered it, and the secret the page showed gets tokens.
    expect((await listClients()).map((c) => [c.client_id, c.name, c.redirect_uris, c.grant_types, c.token_endpoint_auth_method])).toEqual([
      [clientId, 'Reports service', ['https://reports.example/oauth/callback', 'http://127.0.0.1:8400/callback'], ['authorization_code', 'client_credentials'], 'client_secret_basic'],
    ]);
    expect(await clientCredentials(clientId, clientSecret)).toBe(200);

    await page.getByRole('button', { name: 'Delete Reports service', exact: true }).click();
    await page.getByText('No OAuth clients yet').waitFor();
    expect(await clientCredentials(clientId, clientSecret)).toBe(401);
    expect(await listClients()).toEqual([]);
    expect(await page.content()).not.toContain(clientSecret);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows the API’s refusal of a plain-http redirect URI next to the redirect URIs field, and registers nothing', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/oauth-clients', 'OAuth clients of app');
    await page.getByLabel('Name', { exact: true }).fill('Insecure app');
    await page.getByLabel('Redirect URIs').fill('http://insecure.example/callback');
    await page.getByRole('button', { name: 'Register client' }).click();
    const field = fieldError(page, 'Redirect URIs');
    await expect.poll(() => field.textContent()).toBe('The redirect URI http://insecure.example/callback must be https (plain http only for 127.0.0.1, [::1] or localhost)');
    expect(await page.getByLabel('Redirect URIs').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('form .form-error').textContent()).toBe('');

    // A grant the API refuses for a public client is said next to the grant types.
    await page.getByLabel('Redirect URIs').fill('https://secure.example/callback');
    await page.getByLabel('Client type').selectOption('none');
    await chooseGrants(page, [/^Authorization code/, /^Client credentials/]);
    await page.getByRole('button', { name: 'Register client' }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Grant types' }).locator('.error').textContent()).toMatch(/public client .* may not use client_credentials/);
    expect(await field.textContent()).toBe('');
    expect(await listClients()).toEqual([]);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows acme’s admin the API’s refusal at globex’s clients, not the clients', async () => {
    ok(await world.api(world.globex.admin.token).POST('/management/orgs/{org}/apps/{app}/clients', { params: { path: { org: 'globex', app: 'app' } }, body: { name: 'Globex private client', redirect_uris: ['https://globex.example/cb'] } }));
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await expectRefusedPage(page, '#/o/globex/a/app/oauth-clients', await world.asAdmin.GET('/management/orgs/{org}/apps/{app}/clients', { params: { path: { org: 'globex', app: 'app' } } }));
    expect(await page.content()).not.toContain('Globex private client');
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('registers a public client on a phone, with no secret to show, without scrolling sideways', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin, { viewport: { width: 390, height: 844 } });
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/oauth-clients', 'OAuth clients of app');
    await page.getByLabel('Name', { exact: true }).fill('Acme mobile');
    await page.getByLabel('Redirect URIs').fill('http://127.0.0.1:51000/callback');
    await page.getByLabel('Client type').selectOption('none');
    await page.getByRole('button', { name: 'Register client' }).click();
    const shown = page.getByRole('region', { name: 'Client Acme mobile', exact: true });
    await shown.waitFor();
    expect(await shown.locator('[data-secret="Client secret"]').count()).toBe(0);
    await expect.poll(() => rowOf(page, 'OAuth clients', 'Acme mobile').textContent()).toContain('Public');
    const [client] = await listClients();
    expect(client).toMatchObject({ name: 'Acme mobile', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] });
    expect(await shown.textContent()).toContain(client!.client_id);
    await expectFitsPhone(page);
    await page.getByRole('button', { name: 'Delete Acme mobile', exact: true }).click();
    await page.getByText('No OAuth clients yet').waitFor();
    expect(await listClients()).toEqual([]);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);
});
