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
  // Without the default role (`get,put,post,delete:/**` for every signed-in user), what rita may do
  // comes from her groups alone, so their effect shows.
  await ok(world.asAdmin.DELETE('/{org}/{app}/roles/{role}', { params: { path: { ...acmeApp, role: 'default' } } }), 200);
  await ok(world.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'item-reader' } }), 200);
  await ok(world.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'item-reader' } }, body: { permission: 'get:/items/**' } }), 200);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await world?.server.close();
});

function signedIn(viewport?: { width: number; height: number }) {
  return signedInConsole(browser, world.server.url, world.acme.admin, viewport ? { viewport } : {});
}


const group = (name: string) => ({ path: { ...acmeApp, group: name } });

/** What rita's own token answers for GET /acme/app/items. */
async function ritaReadsItems(): Promise<number> {
  const rita = world.api(await userSignIn(world.http, world.acme, 'rita'));
  return (await rita.GET('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'items' } } })).response.status;
}

describe('the groups pages', () => {
  it('creates a group, adds rita, gives it a role and a permission of its own, then takes them away and deletes it: rita reads items only meanwhile', async () => {
    const session = await signedIn();
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/groups', 'Groups of app');
    await page.getByText('No groups yet: create the first one below.').waitFor();
    await page.getByLabel('Group name (path)').fill('Readers');
    await page.getByLabel('Title (optional)').fill('Item readers');
    await page.getByRole('button', { name: 'Create group', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Group readers' }).waitFor();
    expect(first((await ok(world.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group('readers') }), 200)).entities)).toMatchObject({ path: 'readers', title: 'Item readers' });

    await page.getByLabel('Username', { exact: true }).fill('rita');
    await page.getByRole('button', { name: 'Add member', exact: true }).click();
    const members = page.getByRole('table', { name: 'Members', exact: true });
    await members.getByRole('link', { name: 'rita', exact: true }).waitFor();
    expect(await members.getByRole('link', { name: 'rita', exact: true }).getAttribute('href')).toBe('#/o/acme/a/app/users/rita');
    expect((await ok(world.asAdmin.GET('/{org}/{app}/groups/{group}/users', { params: group('readers') }), 200)).entities.map((u) => u.username)).toEqual(['rita']);
    expect(await ritaReadsItems()).toBe(403);

    await page.getByLabel('Role', { exact: true }).fill('item-reader');
    await page.getByRole('button', { name: 'Add role', exact: true }).click();
    const roles = page.getByRole('table', { name: 'Roles', exact: true });
    await roles.getByRole('link', { name: 'item-reader', exact: true }).waitFor();
    expect(await roles.getByRole('link', { name: 'item-reader', exact: true }).getAttribute('href')).toBe('#/o/acme/a/app/roles/item-reader');
    expect((await ok(world.asAdmin.GET('/{org}/{app}/groups/{group}/roles', { params: group('readers') }), 200)).entities.map((r) => r.name)).toEqual(['item-reader']);
    expect(await ritaReadsItems()).toBe(200);

    await page.getByRole('button', { name: 'Remove role item-reader from readers', exact: true }).click();
    await page.getByText('This group has no roles.').waitFor();
    expect(await ritaReadsItems()).toBe(403);

    // The group's own permission reaches its members too.
    await page.getByLabel('Path', { exact: true }).fill('/items/*');
    await page.getByRole('button', { name: 'Grant permission', exact: true }).click();
    await page.getByRole('button', { name: 'Revoke get:/items/*', exact: true }).waitFor();
    expect((await ok(world.asAdmin.GET('/{org}/{app}/groups/{group}/permissions', { params: group('readers') }), 200)).data).toEqual(['get:/items/*']);
    expect(await ritaReadsItems()).toBe(200);

    await page.getByRole('button', { name: 'Remove rita from readers', exact: true }).click();
    await page.getByText('No members yet.').waitFor();
    expect((await ok(world.asAdmin.GET('/{org}/{app}/groups/{group}/users', { params: group('readers') }), 200)).entities).toEqual([]);
    expect(await ritaReadsItems()).toBe(403);

    const asked: string[] = [];
    page.once('dialog', (dialog) => void asked.push(dialog.message()));
    await page.getByRole('button', { name: 'Delete group', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Groups of app' }).waitFor();
    expect(asked[0]).toBe('Delete the group readers? Its members lose its roles and permissions at once.');
    await page.getByText('No groups yet: create the first one below.').waitFor();
    expect((await world.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group('readers') })).response.status).toBe(404);

    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('keeps the group when the admin answers no to deleting it', async () => {
    await ok(world.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'keepers' } }), 200);
    const session = await signedInConsole(browser, world.server.url, world.acme.admin, { accept: false });
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/groups', 'Groups of app');
    await page.getByRole('link', { name: 'keepers', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Group keepers' }).waitFor();
    const deletes: string[] = [];
    page.on('request', (request) => void (request.method() === 'DELETE' && deletes.push(request.url())));
    const asked: string[] = [];
    page.once('dialog', (dialog) => void asked.push(dialog.message()));
    await page.getByRole('button', { name: 'Delete group', exact: true }).click();
    // The group's page still there, and a round trip to the server after the click: a deletion the
    // click had sent would be on the wire by then.
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Group keepers');
    await page.getByRole('navigation', { name: 'Application' }).getByRole('link', { name: 'Roles', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Roles of app', exact: true }).waitFor();
    expect(asked).toEqual(['Delete the group keepers? Its members lose its roles and permissions at once.']);
    expect(deletes).toEqual([]);
    expect((await world.asAdmin.GET('/{org}/{app}/groups/{group}', { params: group('keepers') })).response.status).toBe(200);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows what the API refuses in its own words: a taken group name, an unknown role', async () => {
    await ok(world.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'taken' } }), 200);
    const session = await signedIn();
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/groups', 'Groups of app');
    await page.getByLabel('Group name (path)').fill('TAKEN');
    await page.getByRole('button', { name: 'Create group', exact: true }).click();
    const taken = await world.asAdmin.POST('/{org}/{app}/groups', { params: { path: acmeApp }, body: { path: 'TAKEN' } });
    expect(taken.response.status).toBe(409);
    await fieldError(page, 'Group name (path)').getByText(taken.error?.error_description ?? 'never').waitFor();
    expect(await page.getByLabel('Group name (path)').getAttribute('aria-invalid')).toBe('true');

    await openPage(page, '#/o/acme/a/app/groups/taken', 'Group taken');
    await page.getByLabel('Role', { exact: true }).fill('banana');
    await page.getByRole('button', { name: 'Add role', exact: true }).click();
    await fieldError(page, 'Role').getByText('No role banana').waitFor();
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it("shows acme's admin the API's refusal for globex's groups, not globex's groups", async () => {
    await ok(world.api(world.globex.admin.token).POST('/{org}/{app}/groups', { params: { path: { org: 'globex', app: 'app' } }, body: { path: 'globex-secret' } }), 200);
    const refused = await world.asAdmin.GET('/{org}/{app}/groups', { params: { path: { org: 'globex', app: 'app' } } });
    expect(refused.response.status).toBe(403);
    const session = await signedIn();
    const { page } = session;
    await expectRefusedPage(page, '#/o/globex/a/app/groups', refused);
    await expectRefusedPage(page, '#/o/globex/a/app/groups/globex-secret', await world.asAdmin.GET('/{org}/{app}/groups/{group}', { params: { path: { org: 'globex', app: 'app', group: 'globex-secret' } } }));
    expect(await page.getByText('globex-secret').count()).toBe(0);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('creates a group and adds a member on a 390×844 screen without scrolling sideways', async () => {
    const session = await signedIn({ width: 390, height: 844 });
    const { page } = session;
    await openPage(page, '#/o/acme/a/app/groups', 'Groups of app');
    await page.getByLabel('Group name (path)').fill('phone-group');
    await page.getByRole('button', { name: 'Create group', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Group phone-group' }).waitFor();
    await page.getByLabel('Username', { exact: true }).fill('sam@users.example');
    await page.getByRole('button', { name: 'Add member', exact: true }).click();
    await page.getByRole('table', { name: 'Members', exact: true }).getByRole('link', { name: 'sam', exact: true }).waitFor();
    expect((await ok(world.asAdmin.GET('/{org}/{app}/groups/{group}/users', { params: group('phone-group') }), 200)).entities.map((u) => u.username)).toEqual(['sam']);
    await expectFitsPhone(page);
    await openPage(page, '#/o/acme/a/app/groups', 'Groups of app');
    await expectFitsPhone(page);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);
});

function first<T>(items: T[]): T {
  const [item] = items;
  if (item === undefined) throw new Error('an empty list');
  return item;
}
