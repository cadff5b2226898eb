import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm, ok } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { asQuickBloxForm, needUser, openSession, setAppSessionAccess, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * `appsessionaccess`: what a QuickBlox application session (no user signed in) may do. Its keys
 * ship inside client apps, so by default (`guest`) it is held to the application's guest role;
 * `read-all` is QuickBlox's own behaviour.
 */
let { server, http, api, clock, acme, globex } = {} as World;
beforeAll(async () => ({ server, http, api, clock, acme, globex } = await startWorld({ users: { acme: ['alice'], globex: ['gary'] } })));
afterAll(() => server.close());

const guestPermissions = { params: { path: { ...acmeApp, role: 'guest' } } };
const admin = () => api(acme.admin.token);
const grantGuests = (permission: string) => admin().POST('/{org}/{app}/roles/{role}/permissions', { ...guestPermissions, body: { permission } });
const revokeFromGuests = (permission: string) =>
  admin().DELETE('/{org}/{app}/roles/{role}/permissions', { params: { ...guestPermissions.params, query: { permission } } });
const signUp = (session: ReturnType<typeof withSession>, login: string) =>
  session.POST('/users.json', { body: { user: { login, password: `${login}-password` } }, ...asQuickBloxForm });
const userNamed = async (username: string) =>
  (await admin().GET('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: username } } })).response.status;

describe('appsessionaccess: guest, the default', () => {
  it('is what a new application gets, shown and set with its other settings', async () => {
    const shown = ok(await admin().GET('/management/orgs/{org}/apps/{app}', { params: { path: acmeApp } }));
    expect(shown.data.application.settings).toMatchObject({ appsessionaccess: 'guest', sessionlifetime: 86400 });
  });

  it("still runs the SDK's flow on a new application: application session, sign up, log in, read as the user", async () => {
    const token = await openSession(http, acme, clock);
    const session = withSession(http, token);
    expect((await signUp(session, 'nina')).response.status).toBe(201);
    expect((await session.POST('/login.json', { body: { login: 'nina', password: 'nina-password' }, ...asForm })).response.status).toBe(200);
    expect((await session.GET('/users.json')).response.status).toBe(200);
  });

  it('reads only what guests may read: 422 "Forbidden. Need user." on QuickBlox routes, 403 on /{org}/{app}, until guests are given it', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const users = await session.GET('/users.json');
    expect(users.response.status).toBe(422);
    expect(users.error).toEqual(needUser);
    expect((await session.GET('/data/{className}.json', { params: { path: { className: 'Movie' } } })).error).toEqual(needUser);
    const usergrid = await session.GET('/{org}/{app}/users', { params: { path: acmeApp } });
    expect(usergrid.response.status).toBe(403);
    expect(usergrid.error).toMatchObject({ error: 'forbidden' });

    ok(await grantGuests('get:/users'));
    try {
      expect((await session.GET('/users.json')).response.status).toBe(200);
      expect((await session.GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status).toBe(200);
      // Still read-only: a guest permission to write does not make an application session write.
      ok(await grantGuests('post:/cats'));
      expect((await session.POST('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'cats' } }, body: { name: 'tom' } })).response.status).toBe(403);
    } finally {
      await revokeFromGuests('get:/users');
      await revokeFromGuests('post:/cats');
    }
  });

  it('signs nobody up once the admin closes guest sign-up, and creates no user', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    ok(await revokeFromGuests('post:/users'));
    try {
      const refused = await signUp(session, 'mallory');
      expect(refused.response.status).toBe(422);
      expect(refused.error).toEqual(needUser);
      expect(await userNamed('mallory')).toBe(404);
    } finally {
      ok(await grantGuests('post:/users'));
    }
    expect((await signUp(session, 'olivia')).response.status).toBe(201);
  });

  it("never reaches another application, whatever that application's guests may do", async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const other = await session.GET('/{org}/{app}/users', { params: { path: { org: 'globex', app: 'app' } } });
    expect(other.response.status).toBe(403);
  });
});

describe("appsessionaccess: read-all, QuickBlox's own behaviour", () => {
  it('reads the whole application and signs users up even when guests may not, but writes nothing else', async () => {
    await setAppSessionAccess(http, acme, 'read-all');
    ok(await revokeFromGuests('post:/users'));
    try {
      const session = withSession(http, await openSession(http, acme, clock));
      expect((await session.GET('/users.json')).response.status).toBe(200);
      expect((await session.GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status).toBe(200);
      expect((await signUp(session, 'peggy')).response.status).toBe(201);
      const write = await session.POST('/data/{className}.json', { params: { path: { className: 'Movie' } }, body: { title: 'Heat' } });
      expect(write.error).toEqual(needUser);
    } finally {
      ok(await grantGuests('post:/users'));
      await setAppSessionAccess(http, acme, 'guest');
    }
  });

  it('applies at once to sessions already open, both ways, and to one application only', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const globexSession = withSession(http, await openSession(http, globex, clock));
    expect((await session.GET('/users.json')).response.status).toBe(422);
    await setAppSessionAccess(http, acme, 'read-all');
    try {
      expect((await session.GET('/users.json')).response.status).toBe(200);
      expect((await globexSession.GET('/users.json')).response.status).toBe(422);
    } finally {
      await setAppSessionAccess(http, acme, 'guest');
    }
    expect((await session.GET('/users.json')).response.status).toBe(422);
  });

  it('refuses an unknown value with 400 and changes nothing', async () => {
    const answer = await http.put('/management/orgs/acme/apps/app', { token: acme.admin.token, json: { appsessionaccess: 'everything', sessionttl: 600 } });
    expect(answer.status).toBe(400);
    const shown = ok(await admin().GET('/management/orgs/{org}/apps/{app}', { params: { path: acmeApp } }));
    expect(shown.data.application.settings).toMatchObject({ appsessionaccess: 'guest', sessionttl: 7200 });
  });
});
