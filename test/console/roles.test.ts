import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { launchChromium } from '../helpers/browser.js';
import { expectFitsPhone, expectRefusedPage, fieldError, openPage, signedInConsole } from '../helpers/console.js';
import { acmeApp } from '../helpers/fixtures.js';
import { signIn as userSignIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

let world: World;
let browser: Browser;

beforeAll(async () => {
  world = await startWorld({ users: { acme: ['rita', 'sam'] } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await world?.server.close();
});

function signedIn(viewport?: { width: number; height: number }) {
  return signedInConsole(browser, world.server.url, world.acme.admin, viewport ? { viewport } : {});
}


const role = (name: string) => ({ path: { ...acmeApp, role: name } });

/** What rita's own token answers for GET /acme/app/items. */
async function ritaReadsItems(): Promise<number> {
  const rita = world.api(await userSignIn(world.http, world.acme, 'rita'));
  return (await rita.GET('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'items' } } })).response.status;
}

describe('the roles pages', () => {
  it('deletes the default role, creates a role, grants it get:/items/**, gives it to rita, and revokes it: rita reads items only meanwhile', async () => {
    const session = await signedIn();
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/roles', 'Roles of app');
    const roles = page.getByRole('table', { name: 'Roles', exact: true });
    for (const name of ['admin', 'default', 'guest']) await expect(roles.getByRole('link', { name, exact: true }).isVisible()).resolves.toBe(true);

    // Every signed-in user has the default role (`get,put,post,delete:/**`): rita reads items through it.
    expect(await ritaReadsItems()).toBe(200);
    await roles.getByRole('link', { name: 'default', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Role default' }).waitFor();
    await page.getByText('Every signed-in user of the application has this role’s permissions').waitFor();
    await page.getByRole('table', { name: 'Permissions', exact: true }).getByText('/**').waitFor();
    const asked: string[] = [];
    page.once('dialog', (dialog) => void asked.push(dialog.message()));
    await page.getByRole('button', { name: 'Delete role', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Roles of app' }).waitFor();
    expect(asked[0]).toContain('Without the default role, signed-in users get only what');
    expect(await page.getByRole('table', { name: 'Roles', exact: true }).getByRole('link', { name: 'default', exact: true }).count()).toBe(0);
    expect((await world.asAdmin.GET('/{org}/{app}/roles/{role}', { params: role('default') })).response.status).toBe(404);
    expect(await ritaReadsItems()).toBe(403);

    await page.getByLabel('Role name').fill('item-reader');
    await page.getByLabel('Title (optional)').fill('Reads items');
    await page.getByRole('button', { name: 'Create role', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Role item-reader' }).waitFor();
    expect(await page.locator('.trail').getByRole('link', { name: 'Roles', exact: true }).getAttribute('href')).toBe('#/o/acme/a/app/roles');
    await page.getByText('No permissions: this role grants nothing yet.').waitFor();

    // get is ticked to begin with; the path completes the permission.
    await expect(page.getByRole('checkbox', { name: 'get', exact: true }).isChecked()).resolves.toBe(true);
    await expect(page.getByRole('checkbox', { name: 'delete', exact: true }).isChecked()).resolves.toBe(false);
    await page.getByLabel('Path', { exact: true }).fill('/items/**');
    await page.getByText('Grants get:/items/**').waitFor();
    await page.getByRole('button', { name: 'Grant permission', exact: true }).click();
    const permissions = page.getByRole('table', { name: 'Permissions', exact: true });
    await permissions.getByRole('cell', { name: '/items/**', exact: true }).waitFor();
    expect(await permissions.getByRole('cell', { name: 'get', exact: true }).count()).toBe(1);
    expect((await ok(world.asAdmin.GET('/{org}/{app}/roles/{role}/permissions', { params: role('item-reader') }), 200)).data).toEqual(['get:/items/**']);
    expect(await ritaReadsItems()).toBe(403);

    await page.getByLabel('Username', { exact: true }).fill('rita');
    await page.getByRole('button', { name: 'Add user', exact: true }).click();
    const users = page.getByRole('table', { name: 'Users', exact: true });
    await users.getByRole('link', { name: 'rita', exact: true }).waitFor();
    expect(await users.getByRole('link', { name: 'rita', exact: true }).getAttribute('href')).toBe('#/o/acme/a/app/users/rita');
    expect((await ok(world.asAdmin.GET('/{org}/{app}/roles/{role}/users', { params: role('item-reader') }), 200)).entities.map((u) => u.username)).toEqual(['rita']);
    expect(await ritaReadsItems()).toBe(200);

    await permissions.getByRole('button', { name: 'Revoke get:/items/**', exact: true }).click();
    await page.getByText('No permissions: this role grants nothing yet.').waitFor();
    expect((await ok(world.asAdmin.GET('/{org}/{app}/roles/{role}/permissions', { params: role('item-reader') }), 200)).data).toEqual([]);
    expect(await ritaReadsItems()).toBe(403);

    // Taking the role from rita shows on the page and in the API.
    await page.getByRole('button', { name: 'Remove rita from item-reader', exact: true }).click();
    await page.getByText('No users have this role.').waitFor();
    expect((await ok(world.asAdmin.GET('/{org}/{app}/roles/{role}/users', { params: role('item-reader') }), 200)).entities).toEqual([]);

    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows what the API refuses in its own words: a taken role name, a path without a slash, an unknown user', async () => {
    const session = await signedIn();
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/roles', 'Roles of app');
    await page.getByLabel('Role name').fill('GUEST');
    await page.getByRole('button', { name: 'Create role', exact: true }).click();
    const taken = await world.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'GUEST' } });
    expect(taken.response.status).toBe(409);
    await fieldError(page, 'Role name').getByText(taken.error?.error_description ?? 'never').waitFor();
    expect(await page.getByLabel('Role name').getAttribute('aria-invalid')).toBe('true');

    await openPage(page, '#/o/acme/a/app/roles/guest', 'Role guest');
    await page.getByText('Callers who are not signed in get this role’s permissions').waitFor();
    await page.getByLabel('Path', { exact: true }).fill('items');
    await page.getByRole('button', { name: 'Grant permission', exact: true }).click();
    const refused = await world.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: role('guest'), body: { permission: 'get:items' } });
    expect(refused.response.status).toBe(400);
    await fieldError(page, 'Path').getByText(refused.error?.error_description ?? 'never').waitFor();

    // No operation ticked would mean every operation to the API: the page asks instead of sending it.
    await page.getByRole('checkbox', { name: 'get', exact: true }).uncheck();
    await page.getByLabel('Path', { exact: true }).fill('/items');
    await page.getByRole('button', { name: 'Grant permission', exact: true }).click();
    await expect.poll(() => page.getByRole('group', { name: 'Operations' }).locator('.error').textContent()).toBe('Choose at least one operation.');
    expect((await ok(world.asAdmin.GET('/{org}/{app}/roles/{role}/permissions', { params: role('guest') }), 200)).data).toEqual(['post:/users']);

    await page.getByLabel('Username', { exact: true }).fill('nobody');
    await page.getByRole('button', { name: 'Add user', exact: true }).click();
    await fieldError(page, 'Username').getByText('No user nobody').waitFor();

    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('gives a role to a group from the role’s page, linking to the group, and takes it back', async () => {
    await ok(world.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'editors' } }), 200);
    await ok(world.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'editor' } }), 200);
    const session = await signedIn();
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/roles', 'Roles of app');
    await page.getByRole('link', { name: 'editor', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Role editor' }).waitFor();
    await page.getByLabel('Group', { exact: true }).fill('Editors');
    await page.getByRole('button', { name: 'Add group', exact: true }).click();
    const groups = page.getByRole('table', { name: 'Groups', exact: true });
    await groups.getByRole('link', { name: 'editors', exact: true }).waitFor();
    expect(await groups.getByRole('link', { name: 'editors', exact: true }).getAttribute('href')).toBe('#/o/acme/a/app/groups/editors');
    expect((await ok(world.asAdmin.GET('/{org}/{app}/groups/{group}/roles', { params: { path: { ...acmeApp, group: 'editors' } } }), 200)).entities.map((r) => r.name)).toEqual(['editor']);
    await page.getByRole('button', { name: 'Remove group editors from editor', exact: true }).click();
    await page.getByText('No groups have this role.').waitFor();
    expect((await ok(world.asAdmin.GET('/{org}/{app}/groups/{group}/roles', { params: { path: { ...acmeApp, group: 'editors' } } }), 200)).entities).toEqual([]);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it("shows acme's admin the API's refusal for globex's roles, not globex's roles", async () => {
    const session = await signedIn();
    const { page } = session;
    const refused = await world.asAdmin.GET('/{org}/{app}/roles', { params: { path: { org: 'globex', app: 'app' } } });
    expect(refused.response.status).toBe(403);
    await expectRefusedPage(page, '#/o/globex/a/app/roles', refused);
    expect(await page.getByRole('table').count()).toBe(0);
    await expectRefusedPage(page, '#/o/globex/a/app/roles/default', await world.asAdmin.GET('/{org}/{app}/roles/{role}', { params: { path: { org: 'globex', app: 'app', role: 'default' } } }));
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('grants a permission on a 390×844 screen without scrolling sideways', async () => {
    await ok(world.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'phone-role' } }), 200);
    await ok(world.asAdmin.POST('/{org}/{app}/roles/{role}/users/{user}', { params: { path: { ...acmeApp, role: 'phone-role', user: 'sam' } } }), 200);
    const session = await signedIn({ width: 390, height: 844 });
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/roles/phone-role', 'Role phone-role');
    await page.getByRole('checkbox', { name: 'post', exact: true }).check();
    await page.getByLabel('Path', { exact: true }).fill('/users/${user}/likes/**,/reviews/*');
    await page.getByRole('button', { name: 'Grant permission', exact: true }).click();
    await page.getByRole('button', { name: 'Revoke get,post:/users/${user}/likes/**,/reviews/*', exact: true }).waitFor();
    expect((await ok(world.asAdmin.GET('/{org}/{app}/roles/{role}/permissions', { params: role('phone-role') }), 200)).data).toEqual(['get,post:/users/${user}/likes/**,/reviews/*']);
    await expectFitsPhone(page);
    await openPage(page, '#/o/acme/a/app/roles', 'Roles of app');
    await expectFitsPhone(page);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);
});
