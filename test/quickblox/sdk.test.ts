import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { withSession } from '../helpers/quickblox.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createUser } from '../helpers/users.js';

/**
 * The unmodified QuickBlox JavaScript SDK (npm `quickblox` 2.23.0) against the running server.
 * The SDK hard-codes `https://` (reference §11), so its URL builders are pointed at this plain-HTTP
 * server on the SDK's own `qbUtils` module instance; signing, headers and parsing are its own.
 */
const require = createRequire(import.meta.url);
type Callback = (error: unknown, result: any) => void;
const QB = require('quickblox') as Record<string, any>;
const Utils = require('quickblox/src/qbUtils') as { getUrl(base: string, id?: string): string; formatUrl(base: string, id?: string): string };
const config = require('quickblox/src/qbConfig') as {
  hash: string; urls: { type: string }; qbTokenExpirationDate: Date | null; on: { sessionExpired: unknown }; endpoints: { api: string; chat: string };
};
const ServiceProxy = require('quickblox/src/qbProxy') as { prototype: { ajax(params: { url: string }, callback: unknown): void } };

/** The SDK's callbacks as promises. */
function sdk<T = any>(call: (callback: Callback) => void): Promise<T> {
  return new Promise((resolve, reject) => call((error, result) => (error ? reject(error) : resolve(result as T))));
}
/** What the SDK hands a callback on failure (`{code, status, message, detail}`). */
async function failure(call: (callback: Callback) => void): Promise<{ code: number; message: unknown }> {
  try {
    await sdk(call);
  } catch (error) {
    return error as { code: number; message: unknown };
  }
  throw new Error('the SDK call succeeded');
}

let server: TestServer;
let acme: OrganizationFixture;
let aliceId: number;

beforeAll(async () => {
  server = await startTestServer();
  acme = await createOrganization(server.url, 'acme');
  ({ id: aliceId } = await createUser(server.url, acme, { username: 'alice', name: 'Alice' }));
  const resource = (base: string, id?: string) => `${server.url}/${base}${id ? `/${id}` : ''}`;
  Utils.getUrl = (base, id) => resource(base, id) + config.urls.type;
  Utils.formatUrl = resource;
});
afterAll(() => server.close());

/** `QB.init` as an application would call it; both endpoints set, so the SDK asks api.quickblox.com for no account settings. */
function init(hash: 'sha1' | 'sha256', authSecret = acme.app.authSecret): void {
  const host = new URL(server.url).host;
  QB.init(acme.app.applicationId, acme.app.authKey, authSecret, 'tessera-account-key', { endpoints: { api: host, chat: host }, hash, debug: { mode: 0 } });
  expect(config.hash).toBe(hash);
}

describe.each(['sha1', 'sha256'] as const)('the QuickBlox JS SDK, signing with %s', (hash) => {
  it('creates a session, logs in, reads users, logs out, destroys the session, and then finds its token refused', async () => {
    init(hash);
    const session = await sdk((cb) => QB.createSession(cb));
    expect(session).toMatchObject({ application_id: acme.app.applicationId, user_id: 0 });
    const token: string = session.token;
    // The SDK parsed QB-Token-ExpirationDate (an ISO date would have left it an Invalid Date).
    expect(config.qbTokenExpirationDate).toBeInstanceOf(Date);
    expect(Number.isNaN(config.qbTokenExpirationDate!.getTime())).toBe(false);

    const user = await sdk((cb) => QB.login({ login: 'alice', password: 'alice-password' }, cb));
    expect(user).toMatchObject({ id: aliceId, login: 'alice', full_name: 'Alice' });
    const upgraded = await sdk((cb) => QB.getSession(cb));
    expect(upgraded.session).toMatchObject({ token, user_id: aliceId });

    const alice = await sdk((cb) => QB.users.get(aliceId, cb));
    expect(alice).toMatchObject({ id: aliceId, login: 'alice' });
    const page = await sdk((cb) => QB.users.listUsers({ page: 1, per_page: 10 }, cb));
    expect(page.items.map((item: { user: { login: string } }) => item.user.login)).toContain('alice');

    const movie = await sdk((cb) => QB.data.create('Movie', { title: `Heat (${hash})` }, cb));
    expect(movie).toMatchObject({ user_id: aliceId, title: `Heat (${hash})` });
    const movies = await sdk((cb) => QB.data.list('Movie', { limit: 100 }, cb));
    expect(movies.items.map((item: { _id: string }) => item._id)).toContain(movie._id);
    await sdk((cb) => QB.data.delete('Movie', movie._id, cb));

    await sdk((cb) => QB.logout(cb));
    const downgraded = await sdk((cb) => QB.getSession(cb));
    expect(downgraded.session).toMatchObject({ token, user_id: 0 });

    await sdk((cb) => QB.destroySession(cb));
    const refused = await failure((cb) => QB.startSessionWithToken(token, cb));
    expect(refused.code).toBe(401);
    expect(refused.message).toEqual({ errors: { base: ['Required session does not exist'] } });
  });

  it('finds users by login, by email, by external id and by a filter, and deletes its own user, after which its session is gone', async () => {
    init(hash);
    await sdk((cb) => QB.createSession(cb));
    const login = `doomed-${hash}`;
    const externalId = hash === 'sha1' ? 9101 : 9102;
    const made = await sdk((cb) => QB.users.create({ login, password: `${login}-password`, email: `${login}@users.example`, external_user_id: externalId }, cb));
    await sdk((cb) => QB.login({ login, password: `${login}-password` }, cb));

    expect(await sdk((cb) => QB.users.get({ login: 'alice' }, cb))).toMatchObject({ id: aliceId, login: 'alice' });
    expect(await sdk((cb) => QB.users.get({ email: `${login}@users.example` }, cb))).toMatchObject({ id: made.id, login });
    expect(await sdk((cb) => QB.users.get({ external: externalId }, cb))).toMatchObject({ id: made.id, external_user_id: externalId });
    const missing = await failure((cb) => QB.users.get({ login: 'nobody' }, cb));
    expect(missing).toMatchObject({ code: 404, message: { errors: { base: ["Couldn't find user"] } } });
    // The SDK writes `filter[]=string login in alice,<login>`.
    const filtered = await sdk((cb) => QB.users.listUsers({ filter: { field: 'login', param: 'in', value: ['alice', login] }, per_page: 10 }, cb));
    expect(filtered.items.map((item: { user: { login: string } }) => item.user.login)).toEqual(['alice', login]);
    expect(filtered.total_entries).toBe(2);

    await sdk((cb) => QB.users.delete(made.id, cb));
    const gone = await failure((cb) => QB.getSession(cb));
    expect(gone).toMatchObject({ code: 401, message: { errors: { base: ['Required session does not exist'] } } });
  });

  it('deletes its own user by external id (`QB.users.delete({external})`), after which its session and the user are gone', async () => {
    init(hash);
    await sdk((cb) => QB.createSession(cb));
    const login = `leaving-${hash}`;
    const externalId = hash === 'sha1' ? 9201 : 9202;
    const made = await sdk((cb) => QB.users.create({ login, password: `${login}-password`, external_user_id: externalId }, cb));
    await sdk((cb) => QB.login({ login, password: `${login}-password` }, cb));

    // The SDK sends `DELETE /users/external/<id>.json` and reads the empty answer as text.
    await sdk((cb) => QB.users.delete({ external: externalId }, cb));
    const gone = await failure((cb) => QB.getSession(cb));
    expect(gone).toMatchObject({ code: 401, message: { errors: { base: ['Required session does not exist'] } } });
    await sdk((cb) => QB.createSession({ login: 'alice', password: 'alice-password' }, cb));
    expect(await failure((cb) => QB.users.get({ external: externalId }, cb))).toMatchObject({ code: 404 });
    expect(await failure((cb) => QB.users.get(made.id, cb))).toMatchObject({ code: 404 });
    await sdk((cb) => QB.destroySession(cb));
  });

  it('reports a wrong secret as 422 "Unexpected signature" and a wrong password as 401 "Unauthorized"', async () => {
    init(hash, 'not-the-secret');
    const badSecret = await failure((cb) => QB.createSession(cb));
    expect(badSecret).toMatchObject({ code: 422, message: { errors: { base: ['Unexpected signature'] } } });

    init(hash);
    await sdk((cb) => QB.createSession(cb));
    const badPassword = await failure((cb) => QB.login({ login: 'alice', password: 'wrong-password' }, cb));
    expect(badPassword).toMatchObject({ code: 401, message: { errors: ['Unauthorized'] } });
    await sdk((cb) => QB.destroySession(cb));
  });

  it("fires the SDK's session-expired hook on a dead token, whose retry recovers with a new session", async () => {
    init(hash);
    await sdk((cb) => QB.createSession({ login: 'alice', password: 'alice-password' }, cb));
    const { session } = await sdk((cb) => QB.getSession(cb));
    // Killed behind the SDK's back: its next request meets a dead token.
    await withSession(server.url, session.token).DELETE('/session.json');
    let fired = 0;
    config.on.sessionExpired = (_next: () => void, retry: (session: unknown) => void) => {
      fired += 1;
      // A user session again: on a new application, an application session reads only what guests may.
      QB.createSession({ login: 'alice', password: 'alice-password' }, (error: unknown, fresh: unknown) => (error ? _next() : retry(fresh)));
    };
    try {
      const alice = await sdk((cb) => QB.users.get(aliceId, cb));
      expect(fired).toBe(1);
      expect(alice).toMatchObject({ id: aliceId });
    } finally {
      config.on.sessionExpired = null;
      await sdk((cb) => QB.destroySession(cb));
    }
  });
});

describe('the QuickBlox JS SDK given an account key', () => {
  it('learns its endpoints from GET /account_settings.json: this server, with no other change', async () => {
    const { data } = await withSession(server.url, '').GET('/management/orgs/{org}', { params: { path: { org: acme.name } }, headers: { authorization: `Bearer ${acme.admin.token}` } });
    const accountKey = data!.data.organization.uuid;
    // The SDK asks https://api.quickblox.com itself, whatever it is told (reference §10): here that
    // name leads to this server, as a hosts entry or a proxy would make it.
    const ajax = ServiceProxy.prototype.ajax;
    const asked: string[] = [];
    ServiceProxy.prototype.ajax = function (params, callback) {
      if (params.url.startsWith('https://api.quickblox.com/')) {
        asked.push(params.url);
        params.url = params.url.replace('https://api.quickblox.com', server.url);
      }
      ajax.call(this, params, callback);
    };
    try {
      // QuickBlox's shared endpoints, as an SDK starts with (earlier tests pointed it here).
      const shared = { api: 'api.quickblox.com', chat: 'chat.quickblox.com' };
      QB.init(acme.app.applicationId, acme.app.authKey, acme.app.authSecret, accountKey, { endpoints: shared, hash: 'sha1', debug: { mode: 0 } });
      await QB.ready();
      expect(asked).toEqual(['https://api.quickblox.com/account_settings.json']);
      const host = new URL(server.url).host;
      expect(config.endpoints).toMatchObject({ api: host, chat: host });
      const session = await sdk((cb) => QB.createSession(cb));
      expect(session).toMatchObject({ application_id: acme.app.applicationId, user_id: 0 });
      await sdk((cb) => QB.destroySession(cb));
    } finally {
      ServiceProxy.prototype.ajax = ajax;
    }
  });
});
