import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { ok } from '../helpers/api.js';
import { launchChromium } from '../helpers/browser.js';
import { expectFitsPhone, expectRefusedPage, openConsole, openPage, signIn, signedInConsole } from '../helpers/console.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * The audit events page (`#/o/:org/audit-events`), in Chromium against a real server: what happened
 * through the API (a user locked out after wrong passwords, a user deactivated, a role created) is
 * listed, filtered by kind and by time with the filters in the address, a page at a time.
 */

type AuditEvent = components['schemas']['AuditEvent'];

const hour = 3_600_000;
const noon = Date.UTC(2026, 10, 23, 12, 0, 0);
const clock = new ManualClock(noon);
let world: World;
let browser: Browser;
let timeZoneBefore: string | undefined;

beforeAll(async () => {
  world = await startWorld({ clock, users: { acme: ['bob', 'carol'] } });
  // The browser far from UTC, half an hour off too: the time filters must convert local time, not assume UTC.
  timeZoneBefore = process.env.TZ;
  process.env.TZ = 'Asia/Kolkata';
  browser = await launchChromium();
  // 13:00: bob's password is guessed five times, and then even the right one is refused: locked out.
  clock.set(noon + hour);
  const signInAsBob = (password: string) => world.api().POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username: 'bob', password } });
  for (let i = 0; i < 5; i++) expect((await signInAsBob(`wrong-guess-${i}`)).response.status).toBe(400);
  expect((await signInAsBob('bob-password')).response.status).toBe(429);
  // 15:00: an admin deactivates carol and creates a role.
  clock.set(noon + 3 * hour);
  ok(await world.asAdmin.POST('/{org}/{app}/users/{user}/deactivate', { params: { path: { ...acmeApp, user: 'carol' } } }));
  ok(await world.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: 'auditors' } }));
});
afterAll(async () => {
  // The worker runs other files after this one (vitest.config.ts): they get the time zone they had.
  if (timeZoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = timeZoneBefore;
  await browser?.close();
  await world?.server.close();
});

/** Every acme event the API answers for `query`, page by page. */
async function eventsFromApi(query: { kind?: string[]; since?: number; until?: number } = {}): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = ok(await world.asAdmin.GET('/management/orgs/{org}/audit-events', { params: { path: { org: 'acme' }, query: { ...query, limit: 1000, ...(cursor && { cursor }) } } }));
    events.push(...page.data);
    cursor = page.cursor;
  } while (cursor);
  return events;
}

const rows = (page: Page) => page.getByRole('table', { name: 'Audit events', exact: true }).locator('tbody tr');
/** The kinds of the listed events, top to bottom. */
const listedKinds = (page: Page) => rows(page).locator('td:nth-child(2) code').allTextContents();

/** `ms` as the browser's `datetime-local` inputs write it, in the browser's time zone. */
function localMinute(page: Page, ms: number): Promise<string> {
  return page.evaluate((at) => {
    const date = new Date(at);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
  }, ms);
}

describe('the audit events page', () => {
  it('lists who was locked out, and filters by kind with the kind kept in the address', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await page.getByRole('link', { name: 'acme', exact: true }).click();
    await page.getByRole('link', { name: 'Audit events of this organization', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit events of acme' }).waitFor();
    expect(await page.locator('#trail li').allTextContents()).toEqual(['Organizations', 'acme', 'Audit events']);
    expect(await listedKinds(page)).toEqual((await eventsFromApi()).map((e) => e.kind));

    await page.getByLabel('Kind').selectOption('auth.throttled');
    await page.getByRole('button', { name: 'Show events', exact: true }).click();
    await expect.poll(() => listedKinds(page)).toEqual(['auth.throttled']);
    expect(new URL(page.url()).hash).toBe('#/o/acme/audit-events?kind=auth.throttled');
    const lockout = rows(page).first();
    expect(await lockout.textContent()).toContain('Locked out after failed sign-ins');
    expect(await lockout.locator('td:nth-child(4)').textContent()).toContain('bob');
    expect(await lockout.locator('td:nth-child(3)').textContent()).toBe('Not signed in');
    expect((await eventsFromApi({ kind: ['auth.throttled'] })).map((e) => e.subject)).toEqual(['bob']);

    await page.getByLabel('Kind').selectOption('auth.failed');
    await page.getByRole('button', { name: 'Show events', exact: true }).click();
    await expect.poll(() => listedKinds(page)).toEqual(['auth.failed']);
    expect(await rows(page).first().textContent()).toContain('5 times');

    await page.getByRole('link', { name: 'Show all events', exact: true }).click();
    await expect.poll(() => listedKinds(page)).toContain('user.deactivated');
    expect(new URL(page.url()).hash).toBe('#/o/acme/audit-events');

    // An address may name several kinds, as the API allows: the form says so.
    await page.evaluate(() => {
      location.hash = '#/o/acme/audit-events?kind=auth.failed,auth.throttled';
    });
    await expect.poll(() => listedKinds(page)).toEqual(['auth.throttled', 'auth.failed']);
    expect(await page.getByLabel('Kind').inputValue()).toBe('auth.failed,auth.throttled');
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('filters by time in local time, and a bookmarked filtered view opens as it was, on a phone too', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await openPage(page, '#/o/acme/audit-events', 'Audit events of acme');
    // From 14:00 to 15:30 (UTC): the afternoon's admin actions, not the lockout at 13:00.
    await page.getByLabel('From').fill(await localMinute(page, noon + 2 * hour));
    await page.getByLabel('To').fill(await localMinute(page, noon + 3.5 * hour));
    await page.getByRole('button', { name: 'Show events', exact: true }).click();
    const since = noon + 2 * hour;
    const until = noon + 3.5 * hour + 59_999;
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/o/acme/audit-events?since=${since}&until=${until}`);
    expect(await localMinute(page, since)).toBe('2026-11-23T19:30');
    await expect.poll(() => listedKinds(page)).toEqual((await eventsFromApi({ since, until })).map((e) => e.kind));
    // (The console's own sign-outs revoke tokens at 15:00 too.)
    expect(await listedKinds(page)).toEqual(expect.arrayContaining(['role.created', 'user.deactivated']));
    expect(await listedKinds(page)).not.toContain('auth.throttled');

    // Up to 13:30 only: the lockout, not what came after.
    await page.getByLabel('From').fill('');
    await page.getByLabel('To').fill(await localMinute(page, noon + 1.5 * hour));
    await page.getByRole('button', { name: 'Show events', exact: true }).click();
    await expect.poll(() => listedKinds(page)).toContain('auth.throttled');
    expect(await listedKinds(page)).not.toContain('user.deactivated');
    expect(await listedKinds(page)).toEqual((await eventsFromApi({ until: noon + 1.5 * hour + 59_999 })).map((e) => e.kind));
    const bookmark = page.url();
    expect(session.problems).toEqual([]);
    await session.context.close();

    const phone = await openConsole(browser, world.server.url, { viewport: { width: 390, height: 844 } });
    await phone.page.goto(bookmark);
    await signIn(phone.page, world.acme.admin.username, world.acme.admin.password, 'Audit events of acme');
    await expect.poll(() => listedKinds(phone.page)).toContain('auth.throttled');
    expect(await listedKinds(phone.page)).not.toContain('user.deactivated');
    expect(await phone.page.getByLabel('To').inputValue()).toBe(await localMinute(phone.page, noon + 1.5 * hour));
    expect(await phone.page.getByLabel('From').inputValue()).toBe('');
    await expectFitsPhone(phone.page);
    expect(phone.problems).toEqual([]);
    await phone.context.close();
  }, 60_000);

  it('shows the API’s refusal of a kind it does not know next to the filters', async () => {
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await openPage(page, '#/o/acme/audit-events?kind=user.created', 'Audit events of acme');
    expect(await page.getByRole('alert').filter({ hasText: 'kind' }).textContent()).toMatch(/^kind must be one of auth\.failed, /);
    expect(await rows(page).count()).toBe(0);
    // The form is there to put it right.
    await page.getByLabel('Kind').selectOption('user.deactivated');
    await page.getByRole('button', { name: 'Show events', exact: true }).click();
    await expect.poll(() => listedKinds(page)).toEqual(['user.deactivated']);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows acme’s admin the API’s refusal at globex’s events, not the events', async () => {
    ok(await world.api(world.globex.admin.token).POST('/{org}/{app}/roles', { params: { path: { org: 'globex', app: 'app' } }, body: { name: 'globex-secret-role' } }));
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await expectRefusedPage(page, '#/o/globex/audit-events', await world.asAdmin.GET('/management/orgs/{org}/audit-events', { params: { path: { org: 'globex' } } }));
    expect(await page.content()).not.toContain('globex-secret-role');
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);

  it('shows a page of events at a time, and the next with More', async () => {
    clock.set(noon + 4 * hour);
    for (let i = 0; i < 30; i++) ok(await world.asAdmin.POST('/{org}/{app}/roles', { params: { path: acmeApp }, body: { name: `role-${i}` } }));
    const created = await eventsFromApi({ kind: ['role.created'] });
    expect(created).toHaveLength(31);
    const session = await signedInConsole(browser, world.server.url, world.acme.admin);
    const { page } = session;
    await openPage(page, '#/o/acme/audit-events?kind=role.created', 'Audit events of acme');
    expect(await rows(page).count()).toBe(25);
    await page.getByRole('button', { name: 'More', exact: true }).click();
    await expect.poll(() => rows(page).count()).toBe(31);
    expect(await rows(page).locator('td:nth-child(6)').allTextContents()).toEqual(created.map((e) => `role: ${String(e.details.role)}`));
    expect(await page.getByRole('button', { name: 'More', exact: true }).count()).toBe(0);
    expect(await page.getByText('All 31 events shown.').isVisible()).toBe(true);
    expect(session.problems).toEqual([]);
    await session.context.close();
  }, 60_000);
});
