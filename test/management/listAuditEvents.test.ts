import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { auditEventKinds } from '../../src/domain/audit-events.js';
import { asForm, ok, tessera, type Credential } from '../helpers/api.js';
import { acmeApp, type OrganizationFixture } from '../helpers/fixtures.js';
import { passwordTokens, token, granted, type RegisteredClient } from '../helpers/oauth.js';
import { asQuickBloxForm, openSession, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { adminSignIn, signIn } from '../helpers/users.js';
import { startWorld, type OAuthWorld, type World } from '../helpers/world.js';
import { credentialsBesideAdmins, expectEachRefused, newAdminUser, type MadeAdmin } from './support.js';

type AuditEvent = components['schemas']['AuditEvent'];
type Query = { kind?: string[]; since?: number; until?: number; cursor?: string; limit?: number };

const clock = new ManualClock(Date.UTC(2026, 10, 23, 12, 0, 0));
let w: OAuthWorld;
let frank: MadeAdmin;
/** acme's secrets after the rotations below. */
const rotated: Partial<Pick<OrganizationFixture, 'clientSecret' | 'app'>> = {};
/** Every secret, password and token value the actions below handled: none may appear in an event. */
const secrets: string[] = [];
let failuresAt = 0;

const list = (credential: Credential | undefined, query: Query = {}, org = 'acme') =>
  w.api(credential).GET('/management/orgs/{org}/audit-events', { params: { path: { org }, query } });

/** Every event of the organization, page by page (newest first). */
async function allEvents(query: Query = {}, credential: Credential = w.acme.admin.token, org = 'acme'): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = ok(await list(credential, { ...query, limit: 1000, ...(cursor && { cursor }) }, org));
    events.push(...page.data);
    cursor = page.cursor;
  } while (cursor);
  return events;
}

const kindsOf = (events: AuditEvent[]) => new Set(events.map((e) => e.kind));
const appPath = { params: { path: acmeApp } };
const userPath = (user: string) => ({ params: { path: { ...acmeApp, user } } });

/** Every audited action once, by acme's admin (and a few by others), keeping each secret it handled. */
async function doEverything(): Promise<void> {
  const admin = w.asAdmin;
  // The OAuth clients of the world were registered at the start: everything here happens later.
  clock.advance(1000);
  failuresAt = clock.now();
  // Sign-in failures (counted) of bob, with a password that must not be recorded.
  for (let i = 0; i < 2; i++) {
    const wrong = await w.api().POST('/{org}/{app}/token', { ...appPath, body: { grant_type: 'password', username: 'bob', password: `wrong-password-${i}` } });
    expect(wrong.response.status).toBe(400);
    secrets.push(`wrong-password-${i}`);
  }
  // A wrong current password in a password change counts as one more failure of bob's.
  const bobToken = await signIn(w.server.url, w.acme, 'bob');
  secrets.push(bobToken, 'bob-password');
  const wrongOld = await w.api(bobToken).PUT('/{org}/{app}/users/{user}/password', { ...userPath('bob'), body: { oldpassword: 'not-bobs-password', newpassword: 'never-set-password' } });
  expect(wrongOld.response.status).toBe(400);
  secrets.push('not-bobs-password', 'never-set-password');
  clock.advance(1000);
  // A user's own password change through QuickBlox (with the session's user as the actor).
  const erin = withSession(w.server.url, await openSession(w.server.url, w.acme, clock, { user: { login: 'erin', password: 'erin-password' } }));
  const changed = await erin.PUT('/users/{id}.json', { params: { path: { id: w.ids.erin! } }, body: { user: { old_password: 'erin-password', password: 'erin-new-password' } }, ...asQuickBloxForm });
  expect(changed.response.status).toBe(200);
  secrets.push('erin-password', 'erin-new-password', w.acme.app.authSecret);
  // Token revocations: one of bob's tokens, then all of them.
  ok(await admin.POST('/{org}/{app}/users/{user}/revoketoken', { params: { path: { ...acmeApp, user: 'bob' }, query: { token: bobToken } } }));
  secrets.push(await signIn(w.server.url, w.acme, 'bob'));
  ok(await admin.POST('/{org}/{app}/users/{user}/revoketokens', userPath('bob')));
  // Secret rotations: the application's (client secret and QuickBlox auth secret) and the organization's.
  const appCredentials = ok(await admin.POST('/management/orgs/{org}/apps/{app}/credentials', appPath));
  secrets.push(appCredentials.credentials.client_secret, appCredentials.credentials.auth_secret, w.acme.app.clientSecret, w.acme.app.authSecret);
  rotated.app = { ...w.acme.app, clientSecret: appCredentials.credentials.client_secret, authSecret: appCredentials.credentials.auth_secret };
  const orgCredentials = ok(await admin.POST('/management/orgs/{org}/credentials', { params: { path: { org: 'acme' } } }));
  secrets.push(orgCredentials.credentials.client_secret, w.acme.clientSecret);
  rotated.clientSecret = orgCredentials.credentials.client_secret;
  // Roles, groups and permissions.
  ok(await admin.POST('/{org}/{app}/roles', { ...appPath, body: { name: 'auditors' } }));
  ok(await admin.POST('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'auditors' } }, body: { permission: 'GET:/reports/**' } }));
  ok(await admin.DELETE('/{org}/{app}/roles/{role}/permissions', { params: { path: { ...acmeApp, role: 'auditors' }, query: { permission: 'get:/reports/**' } } }));
  ok(await admin.POST('/{org}/{app}/users/{user}/permissions', { ...userPath('bob'), body: { permission: 'get:/bob/**' } }));
  ok(await admin.POST('/{org}/{app}/roles/{role}/users/{user}', { params: { path: { ...acmeApp, role: 'auditors', user: 'bob' } } }));
  ok(await admin.DELETE('/{org}/{app}/users/{user}/roles/{role}', { params: { path: { ...acmeApp, role: 'auditors', user: 'bob' } } }));
  ok(await admin.POST('/{org}/{app}/groups', { ...appPath, body: { path: 'team' } }));
  ok(await admin.POST('/{org}/{app}/groups/{group}/users/{user}', { params: { path: { ...acmeApp, group: 'team', user: 'bob' } } }));
  ok(await admin.DELETE('/{org}/{app}/groups/{group}/users/{user}', { params: { path: { ...acmeApp, group: 'team', user: 'bob' } } }));
  ok(await admin.DELETE('/{org}/{app}/roles/{role}', { params: { path: { ...acmeApp, role: 'auditors' } } }));
  // API tokens and OAuth clients.
  const apiToken = ok(await admin.POST('/management/orgs/{org}/apps/{app}/api-tokens', { ...appPath, body: { name: 'ci', access: 'read' } }));
  secrets.push(apiToken.data.access_token);
  ok(await admin.DELETE('/management/orgs/{org}/apps/{app}/api-tokens/{apiToken}', { params: { path: { ...acmeApp, apiToken: apiToken.data.api_token.id } } }));
  const client: RegisteredClient = ok(await admin.POST('/management/orgs/{org}/apps/{app}/clients', { ...appPath, body: { name: 'Audited', redirect_uris: ['https://client.example/cb'] } }));
  secrets.push(client.client_secret!);
  expect((await admin.DELETE('/management/orgs/{org}/apps/{app}/clients/{client}', { params: { path: { ...acmeApp, client: client.client_id } } })).response.status).toBe(204);
  // An OAuth client revoking a grant it holds (RFC 7009).
  const oauthTokens = await passwordTokens(w);
  secrets.push(oauthTokens.access_token, oauthTokens.refresh_token, w.confidential.client_secret!);
  const revoked = await w.api({ headers: { authorization: `Basic ${Buffer.from(`${w.confidential.client_id}:${w.confidential.client_secret}`).toString('base64')}` } })
    .POST('/oauth/revoke', { body: { token: oauthTokens.refresh_token }, ...asForm });
  expect(revoked.response.status).toBe(200);
  // Admins added and removed; an admin's password changed by the superuser.
  ok(await admin.PUT('/management/orgs/{org}/users/{user}', { params: { path: { org: 'acme', user: 'frank' } } }));
  const wrongAdmin = await w.api().POST('/management/token', { body: { grant_type: 'password', username: 'frank', password: 'not-franks-password' } });
  expect(wrongAdmin.response.status).toBe(400);
  secrets.push('not-franks-password');
  ok(await tessera(w.server.url, w.root).PUT('/management/users/{user}/password', { params: { path: { user: 'frank' } }, body: { newpassword: 'frank-new-password' } }));
  secrets.push('frank-new-password', frank.password, frank.token);
  ok(await admin.DELETE('/management/orgs/{org}/users/{user}', { params: { path: { org: 'acme', user: 'frank' } } }));
  // Users deactivated, activated, and given a new password.
  ok(await admin.POST('/{org}/{app}/users/{user}/deactivate', userPath('bob')));
  ok(await admin.POST('/{org}/{app}/users/{user}/activate', userPath('bob')));
  ok(await admin.PUT('/{org}/{app}/users/{user}/password', { ...userPath('bob'), body: { newpassword: 'bob-new-password-1' } }));
  secrets.push('bob-new-password-1', w.acme.admin.token, w.root);
}

beforeAll(async () => {
  w = await startWorld({ clock, oauth: true, users: { acme: ['bob', 'dave', 'erin'], globex: ['gina'] } });
  frank = await newAdminUser(w.server.url, w.root, 'frank');
  // acme's admin works with frank already (an admin adds only such an admin): both administer frank's organization.
  ok(await w.api(w.root).PUT('/management/orgs/{org}/users/{user}', { params: { path: { org: frank.home, user: w.acme.admin.username } } }));
  await doEverything();
});
afterAll(() => w.server.close());

describe('listAuditEvents', () => {
  it('records sign-in failures, revocations, rotations, role, group and permission changes, API-token and client changes, admins and users', async () => {
    const events = await allEvents();
    // Every kind but throttling, which the throttle tests reach (`auth.throttled` is written by the same code as `auth.failed`).
    expect([...kindsOf(events)].sort()).toEqual(auditEventKinds.filter((kind) => kind !== 'auth.throttled').sort());
    const bob = w.uuids.bob!;
    const admin = { type: 'admin', uuid: expect.any(String), username: 'acme-admin' };
    expect(events.find((e) => e.kind === 'auth.failed' && e.subject === 'bob')).toMatchObject({
      count: 3, application: 'app', organization: 'acme', actor: null, subject: 'bob', source_address: expect.any(String), details: { kind: 'user-password', error: 'invalid_grant' },
    });
    expect(events.find((e) => e.kind === 'user.password-changed' && e.subject === w.uuids.erin)).toMatchObject({
      actor: { type: 'user', uuid: w.uuids.erin, username: 'erin' }, application: 'app', details: { by_owner: true },
    });
    expect(events.find((e) => e.kind === 'user.password-changed' && e.subject === bob)).toMatchObject({ actor: admin, details: { by_owner: false } });
    expect(events.find((e) => e.kind === 'user.deactivated')).toMatchObject({ actor: admin, subject: bob, application: 'app', details: { username: 'bob' } });
    expect(events.filter((e) => e.kind === 'credentials.rotated').map((e) => [e.subject, e.details.owner, e.application])).toEqual([
      [w.acme.clientId, 'organization', null],
      [w.acme.app.clientId, 'application', 'app'],
    ]);
    expect(events.find((e) => e.kind === 'permission.granted' && e.subject === 'auditors')).toMatchObject({ details: { holder: 'role', permission: 'get:/reports/**' } });
    expect(events.find((e) => e.kind === 'permission.granted' && e.subject === bob)).toMatchObject({ details: { holder: 'user', permission: 'get:/bob/**' } });
    expect(events.find((e) => e.kind === 'group-user.removed')).toMatchObject({ subject: bob, details: { group: 'team', user: bob } });
    expect(events.find((e) => e.kind === 'organization-admin.removed')).toMatchObject({ actor: admin, subject: frank.uuid, application: null });
    expect(events.find((e) => e.kind === 'admin-user.password-changed')).toMatchObject({ actor: { type: 'superuser', username: 'superuser' }, subject: frank.uuid });
    // An admin account's events go to every organization the admin administers at the time.
    const acmeAdmin = (await w.api(w.root).GET('/management/users/{user}', { params: { path: { user: w.acme.admin.username } } })).data!.data.uuid;
    expect((await allEvents({}, w.root, frank.home)).map((e) => [e.kind, e.subject])).toEqual([
      ['admin-user.password-changed', frank.uuid],
      ['auth.failed', 'frank'],
      ['organization-admin.added', acmeAdmin],
    ]);
    expect(events.find((e) => e.kind === 'auth.failed' && e.subject === 'frank')).toMatchObject({ count: 1, application: null, details: { kind: 'admin-password' } });
    expect(events.find((e) => e.kind === 'token-family.revoked')).toMatchObject({ actor: { type: 'oauth-client', client_id: w.confidential.client_id }, application: 'app' });
    expect(events.find((e) => e.kind === 'user-tokens.revoked')).toMatchObject({ subject: bob, details: { revoked: 1 } });
  });

  it('holds no secret, password or token value in any event', async () => {
    const text = JSON.stringify(await allEvents());
    expect(secrets.length).toBeGreaterThan(15);
    for (const secret of secrets) expect(text, 'a secret in the events').not.toContain(secret);
  });

  it('pages newest first with a cursor, every event once', async () => {
    const all = await allEvents();
    const paged: AuditEvent[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = ok(await list(w.acme.admin.token, { limit: 4, ...(cursor && { cursor }) }));
      expect(page).toMatchObject({ action: 'get audit events', status: 'ok', count: page.data.length, timestamp: expect.any(Number) });
      paged.push(...page.data);
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(all.length / 4));
    expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(paged.map((e) => e.id)).toEqual([...paged.map((e) => e.id)].sort((a, b) => b - a));
    expect(paged[0]!.kind).toBe('user.password-changed');
  });

  it('filters by one kind or several (repeated or comma-separated) and by time', async () => {
    expect(kindsOf(await allEvents({ kind: ['auth.failed'] }))).toEqual(new Set(['auth.failed']));
    expect(kindsOf(await allEvents({ kind: ['user.activated', 'user.deactivated'] }))).toEqual(new Set(['user.activated', 'user.deactivated']));
    const commas = await w.http.get(`/management/orgs/acme/audit-events?kind=${encodeURIComponent('api-token.created,api-token.revoked')}`, { headers: { authorization: `Bearer ${w.acme.admin.token}` } });
    expect(commas.status).toBe(200);
    expect(new Set((commas.body as { data: AuditEvent[] }).data.map((e) => e.kind))).toEqual(new Set(['api-token.created', 'api-token.revoked']));
    // The failures happened at the start; everything else a second later.
    expect((await allEvents({ since: failuresAt, until: failuresAt })).map((e) => [e.kind, e.subject])).toEqual([['auth.failed', 'bob']]);
    expect(kindsOf(await allEvents({ until: failuresAt - 1 }))).toEqual(new Set(['oauth-client.registered']));
    expect((await allEvents({ since: failuresAt + 1 })).some((e) => e.subject === 'bob' && e.kind === 'auth.failed')).toBe(false);
    expect(await allEvents({ since: clock.now() + 1 })).toEqual([]);
  });

  it('answers 400 in the Usergrid shape for an unknown kind, a bad time or a cursor it never issued', async () => {
    // A time past 2^53 - 1 ms: SQLite compared it as a float (an empty 200), PostgreSQL could not store it (a 400).
    const past53Bits = ['since=99999999999999999999', 'until=9007199254740992'];
    for (const query of ['kind=auth.nope', 'kind=auth.failed,', 'since=yesterday', 'until=-1', 'cursor=bm9wZQ', 'limit=0', ...past53Bits]) {
      const answer = await w.http.get(`/management/orgs/acme/audit-events?${query}`, { headers: { authorization: `Bearer ${w.acme.admin.token}` } });
      if (query === 'kind=auth.failed,') {
        expect(answer.status, query).toBe(200);
        continue;
      }
      expect(answer.status, query).toBe(400);
      expect(answer.body, query).toMatchObject({ error: expect.any(String), error_description: expect.any(String), timestamp: expect.any(Number), duration: expect.any(Number) });
    }
  });

  it('shows an organization its own events only, to its admins and the superuser', async () => {
    const acme = await allEvents();
    expect((await allEvents({}, w.root)).map((e) => e.id)).toEqual(acme.map((e) => e.id));
    ok(await w.api(w.globex.admin.token).POST('/{org}/{app}/users/{user}/deactivate', { params: { path: { org: 'globex', app: 'app', user: 'gina' } } }));
    const globex = await allEvents({}, w.globex.admin.token, 'globex');
    expect(globex.map((e) => [e.kind, e.organization])).toEqual([['user.deactivated', 'globex']]);
    expect((await allEvents()).map((e) => e.id)).toEqual(acme.map((e) => e.id));
    expect((await list(w.globex.admin.token)).response.status).toBe(403);
  });

  it('refuses every credential that is no admin user of the organization (403), a QuickBlox session and no credential (401)', async () => {
    const acme = { ...w.acme, ...rotated };
    const besides = await credentialsBesideAdmins(w.server.url, acme, w.acme.admin.token, 'dave');
    const oauthToken = granted(await token(w, { grant_type: 'client_credentials' })).access_token;
    await expectEachRefused({ ...besides, 'an OAuth client token': oauthToken, "another organization's client pair": { query: { client_id: w.globex.clientId, client_secret: w.globex.clientSecret } } }, (credential) => list(credential));
    const session = await openSession(w.server.url, acme, clock);
    for (const credential of [{ qbToken: session }, undefined]) {
      const answer = await list(credential);
      expect(answer.response.status).toBe(401);
      expect(answer.error).toMatchObject({ error: 'unauthorized', timestamp: expect.any(Number) });
    }
    expect((await list(w.root, {}, 'no-such-organization')).response.status).toBe(404);
  });

  it('keeps events TESSERA_AUDIT_RETENTION_DAYS after their latest occurrence', async () => {
    const before = (await allEvents()).length;
    clock.advance(89 * 86_400_000);
    await w.server.sweep();
    // The admin's token is long expired by now; signing in again records nothing.
    const admin = await adminSignIn(w.server.url, w.acme);
    expect(await allEvents({}, admin)).toHaveLength(before);
    clock.advance(2 * 86_400_000);
    // acme's events, globex's one, and frank's home organization's three (acme's admin added to
    // it, his password change and failed sign-in).
    expect((await w.server.sweep()).auditEvents).toBe(before + 4);
    expect(await allEvents({}, admin)).toEqual([]);
  });
});

describe('listAuditEvents with TESSERA_AUDIT_MAX_EVENTS_PER_ORG', () => {
  let small: World;
  beforeAll(async () => {
    small = await startWorld({ clock: new ManualClock(), users: { acme: ['carol'], globex: ['gus'] }, config: { auditMaxEventsPerOrganization: 3 } });
  });
  afterAll(() => small.server.close());

  it('keeps each organization’s newest events up to the maximum, and no other organization’s are touched', async () => {
    const acme = { params: { path: { ...acmeApp, user: 'carol' } } };
    for (let i = 0; i < 3; i++) {
      ok(await small.asAdmin.POST('/{org}/{app}/users/{user}/deactivate', acme));
      ok(await small.asAdmin.POST('/{org}/{app}/users/{user}/activate', acme));
    }
    ok(await small.api(small.globex.admin.token).POST('/{org}/{app}/users/{user}/deactivate', { params: { path: { org: 'globex', app: 'app', user: 'gus' } } }));
    const read = async (org: 'acme' | 'globex') =>
      ok(await small.api(small[org].admin.token).GET('/management/orgs/{org}/audit-events', { params: { path: { org }, query: { limit: 100 } } })).data;
    const newest = (await read('acme')).slice(0, 3);
    expect(await read('acme')).toHaveLength(6);
    expect((await small.server.sweep()).auditEventsOverLimit).toBe(3);
    expect(await read('acme')).toEqual(newest);
    expect(await read('globex')).toHaveLength(1);
  });

  it('keeps the admins’ events apart from what users do: a user revoking their own tokens again and again never pushes an admin’s event out', async () => {
    ok(await small.asAdmin.POST('/management/orgs/{org}/apps/{app}/credentials', { params: { path: acmeApp } }));
    for (let i = 0; i < 5; i++) {
      const token = await signIn(small.server.url, small.acme, 'carol');
      ok(await small.api(token).POST('/{org}/{app}/users/{user}/revoketokens', { params: { path: { ...acmeApp, user: 'me' } } }));
    }
    await small.server.sweep();
    const events = ok(await small.asAdmin.GET('/management/orgs/{org}/audit-events', { params: { path: { org: 'acme' }, query: { limit: 100 } } })).data;
    expect(events.filter((e) => e.kind === 'user-tokens.revoked')).toHaveLength(3);
    expect(events.filter((e) => e.kind === 'credentials.rotated')).toHaveLength(1);
  });
});

