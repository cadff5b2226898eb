import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, tessera } from '../helpers/api.js';
import { launchChromium } from '../helpers/browser.js';
import { expectFitsPhone, expectRefusedPage, fieldError, openConsole, openPage, signIn, signedInConsole } from '../helpers/console.js';
import { passwordOf } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { startWorld, type World } from '../helpers/world.js';

let world: World;
let browser: Browser;

/** More users than a page of the list holds (20), so the list needs its "More users" button. */
const listed = Array.from({ length: 22 }, (_, i) => `u${String(i + 1).padStart(2, '0')}`);

beforeAll(async () => {
  world = await startWorld({ users: { acme: ['dora', ...listed], globex: ['gus'] } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await world?.server.close();
});

const userOf = async (user: string) => ok(await world.asAdmin.GET('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user } } })).entities[0];

/** The password grant of acme's application: the HTTP status it answers. */
const signInStatus = async (username: string, password: string) =>
  (await tessera(world.server.url).POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username, password } })).response.status;

/** Signs in as acme's admin and walks to the users of acme's application by the links. */
async function openUsers(page: Page): Promise<void> {
  await signIn(page, world.acme.admin.username, world.acme.admin.password);
  await page.getByRole('link', { name: 'acme', exact: true }).click();
  await page.getByRole('link', { name: 'app', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Application app' }).waitFor();
  await page.getByRole('navigation', { name: 'Application' }).getByRole('link', { name: 'Users', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Users of app', exact: true }).waitFor();
}

describe('usersPage and userPage: an application’s users', () => {
  it('creates a user, lists them with a link to their page, and the API has them', async () => {
    const session = await openConsole(browser, world.server.url);
    const { page } = session;
    await openUsers(page);
    await page.getByLabel('Username', { exact: true }).fill('carol');
    await page.getByLabel('Email', { exact: true }).fill('carol@users.example');
    await page.getByLabel('Full name').fill('Carol Jones');
    await page.getByLabel('Password', { exact: true }).fill('carol-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: 'Created carol' }).waitFor();

    expect(await userOf('carol')).toMatchObject({ username: 'carol', email: 'carol@users.example', name: 'Carol Jones', activated: true });
    expect(await signInStatus('carol', 'carol-password')).toBe(200);
    // The 24th user: on the list's second page, read with the API's cursor.
    const list = page.getByRole('table', { name: 'Users', exact: true });
    expect(await list.getByRole('link', { name: 'carol' }).count()).toBe(0);
    await page.getByRole('button', { name: 'More users' }).click();
    expect(await list.getByRole('link', { name: 'carol' }).getAttribute('href')).toBe('#/o/acme/a/app/users/carol');
    await page.getByRole('status').getByRole('link', { name: 'Open carol' }).click();
    await page.getByRole('heading', { level: 1, name: 'User carol' }).waitFor();
    const account = await page.locator('dl.facts').textContent();
    for (const fact of ['carol@users.example', 'Carol Jones', 'yes']) expect(account).toContain(fact);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows the API’s words next to the username when it is taken', async () => {
    const session = await openConsole(browser, world.server.url);
    const { page } = session;
    await openUsers(page);
    await page.getByLabel('Username', { exact: true }).fill('DORA');
    await page.getByLabel('Password', { exact: true }).fill('another-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    const refusal = await world.asAdmin.POST('/{org}/{app}/users', { params: { path: acmeApp }, body: { username: 'DORA', password: 'another-password' } });
    expect(refusal.response.status).toBe(409);
    const words = (refusal.error as { error_description?: string }).error_description;
    expect(words).toBeTruthy();
    await expect.poll(() => fieldError(page, 'Username').textContent()).toBe(words);
    expect(await page.getByLabel('Username', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('lists a page of users, and the next with "More users", the keyboard on the first new one', async () => {
    const session = await openConsole(browser, world.server.url);
    const { page } = session;
    await openUsers(page);
    const list = page.getByRole('table', { name: 'Users', exact: true });
    const firstPage = await list.locator('tbody tr').count();
    expect(firstPage).toBe(20);
    expect(await list.getByRole('link', { name: 'u22', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'More users' }).click();
    await list.getByRole('link', { name: 'u22', exact: true }).waitFor();
    expect(await list.locator('tbody tr').count()).toBeGreaterThan(firstPage);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(await list.locator('tbody tr').nth(firstPage).getByRole('link').textContent());
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('finds a user by exact username, email or uuid, and says the API’s words for a part of a name', async () => {
    const session = await openConsole(browser, world.server.url);
    const { page } = session;
    await openUsers(page);
    const find = page.getByLabel('Username, email or uuid');
    await find.fill('u0');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    const refusal = await world.asAdmin.GET('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: 'u0' } } });
    expect(refusal.response.status).toBe(404);
    const words = (refusal.error as { error_description?: string }).error_description ?? '';
    await page.locator('form[aria-label="Find a user"]').getByText(words).waitFor();

    await find.fill('u05@users.example');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'User u05' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Users of app', exact: true }).waitFor();
    await page.getByLabel('Username, email or uuid').fill(world.uuids.u06 ?? '');
    await page.getByRole('button', { name: 'Find', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'User u06' }).waitFor();
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('deactivates and activates a user after a confirm, sets their password without the old one, and links their roles', async () => {
    await ok(world.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'reviewer', title: 'Reviewer' } }));
    await ok(world.asAdmin.POST('/{org}/{app}/users/{user}/roles/{role}', { params: { path: { ...acmeApp, user: 'dora', role: 'reviewer' } } }));
    const session = await openConsole(browser, world.server.url);
    const { page } = session;
    const questions: string[] = [];
    page.on('dialog', (dialog) => questions.push(dialog.message()));
    await openUsers(page);
    await page.getByRole('table', { name: 'Users', exact: true }).getByRole('link', { name: 'dora', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'User dora' }).waitFor();

    const role = page.getByRole('table', { name: 'Roles of the user' }).getByRole('link', { name: 'reviewer' });
    expect(await role.getAttribute('href')).toBe('#/o/acme/a/app/roles/reviewer');

    await page.getByRole('button', { name: 'Deactivate user', exact: true }).click();
    await page.getByRole('button', { name: 'Activate user', exact: true }).waitFor();
    expect(questions.at(-1)).toContain('Deactivate dora?');
    expect(await page.locator('dl.facts').textContent()).toContain('deactivated');
    expect((await userOf('dora'))?.activated).toBe(false);
    expect(await signInStatus('dora', passwordOf('dora'))).not.toBe(200);

    await page.getByRole('button', { name: 'Activate user', exact: true }).click();
    await page.getByRole('button', { name: 'Deactivate user', exact: true }).waitFor();
    expect(questions.at(-1)).toContain('Activate dora?');
    expect((await userOf('dora'))?.activated).toBe(true);

    await page.getByLabel('New password', { exact: true }).fill('brand-new-password');
    await page.getByLabel('New password again').fill('brand-new-passwort');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('The two passwords differ').waitFor();
    await page.getByLabel('New password again').fill('brand-new-password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password set' }).waitFor();
    expect(await signInStatus('dora', 'brand-new-password')).toBe(200);
    expect(await signInStatus('dora', passwordOf('dora'))).not.toBe(200);

    await role.click();
    await page.waitForURL(/#\/o\/acme\/a\/app\/roles\/reviewer$/);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('fits a 390-pixel phone while creating a user', async () => {
    const session = await openConsole(browser, world.server.url, { viewport: { width: 390, height: 844 } });
    const { page } = session;
    await openUsers(page);
    await page.getByLabel('Username', { exact: true }).fill('phoebe');
    await page.getByLabel('Password', { exact: true }).fill('phoebe-password');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: 'Created phoebe' }).waitFor();
    expect((await userOf('phoebe'))?.username).toBe('phoebe');
    await expectFitsPhone(page);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows acme’s admin the API’s refusal, not globex’s users, at globex addresses', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    for (const [address, path] of [['#/o/globex/a/app/users', '/{org}/{app}/users'], ['#/o/globex/a/app/users/gus', '/{org}/{app}/users/{user}']] as const) {
      await expectRefusedPage(page, address, await world.asAdmin.GET(path, { params: { path: { org: 'globex', app: 'app', user: 'gus' } } }));
      expect(await page.locator('main').textContent()).not.toContain('gus@users.example');
      await openPage(page, '#/', 'Organizations');
    }
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);
});
