import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { asForm, ok, type Credential, type Tessera } from '../helpers/api.js';
import { basic, passwordOf } from '../helpers/credentials.js';
import type { AppParams } from '../helpers/fixtures.js';
import { openSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { createUser, signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * THE authorization matrix: every kind of principal against the same seven requests, the
 * expected answer written down, and checked against the running server over every credential
 * family that can carry that principal. A new credential is one row in `expected` and its
 * carriers in `carriers`.
 *
 * The application is `acme/app` with Usergrid's built-in roles (`default`: everything for signed-in
 * users; `guest`: `post:/users`). The user with a narrow role lives in `acme/locked`, an
 * application whose `default` role was deleted and whose `cat-reader` role holds only
 * `get:/cats`: there, and only there, a role is all a user has. (QuickBlox sessions are rows of
 * their own: `QB-Token` is taken on application routes, not on /management, hence their 401 there.)
 *
 * 401: no credential, or one this route does not take (the QuickBlox header on /management);
 * 403: a good credential without the right (Usergrid answers 401, see the README);
 * 404: allowed, but `/users/me` names an application user and this principal is none.
 * A user record is its owner's: only the user themselves or an application admin changes it,
 * whatever the path permissions say (the `default` role's `/**` included); an OAuth client's own
 * token manages the application's data, not its accounts.
 */
/** The seven requests, each a call of the typed client made with the carrier's credential in the principal's application. */
const cats = (app: AppParams) => ({ path: { ...app, collection: 'cats' } });
const otherUser = (app: AppParams) => ({ path: { ...app, user: 'other' } });
const requests = {
  readCollection: (api: Tessera, app: AppParams) => api.GET('/{org}/{app}/{collection}', { params: cats(app) }),
  writeCollection: (api: Tessera, app: AppParams) => api.POST('/{org}/{app}/{collection}', { params: cats(app), body: { color: 'grey' } }),
  readOtherUser: (api: Tessera, app: AppParams) => api.GET('/{org}/{app}/users/{user}', { params: otherUser(app) }),
  updateOtherUser: (api: Tessera, app: AppParams) => api.PUT('/{org}/{app}/users/{user}', { params: otherUser(app), body: { name: 'Changed by someone' } }),
  updateOwnRecord: (api: Tessera, app: AppParams) =>
    api.PUT('/{org}/{app}/users/{user}', { params: { path: { ...app, user: 'me' } }, body: { name: 'Changed by myself' } }),
  manageRoles: (api: Tessera, app: AppParams) => api.POST('/{org}/{app}/roles', { params: { path: app }, body: { name: `role-${++roleCounter}` } }),
  management: (api: Tessera) => api.GET('/management/orgs/{org}/apps', { params: { path: { org: 'acme' } } }),
} satisfies Record<string, (api: Tessera, app: AppParams) => Promise<{ response: Response }>>;
let roleCounter = 0;

type Column = keyof typeof requests;
const columns = Object.keys(requests) as Column[];

const expected = {
  //                              read   write  read   update update own    manage  manage-
  //                              coll.  coll.  other  other  record        roles   ment
  superuser:                     [200,   200,   200,   200,   404,          200,    200],
  organizationAdmin:             [200,   200,   200,   200,   404,          200,    200],
  adminOfAnotherOrganization:    [403,   403,   403,   403,   403,          403,    403],
  organizationClient:            [200,   200,   200,   200,   404,          200,    200],
  applicationClient:             [200,   200,   200,   200,   404,          200,    403],
  userWithDefaultRole:           [200,   200,   200,   403,   200,          403,    403],
  userWithNarrowRole:            [200,   403,   403,   403,   403,          403,    403],
  guest:                         [401,   401,   401,   401,   401,          401,    401],
  readApiToken:                  [200,   403,   200,   403,   403,          403,    403],
  fullApiToken:                  [200,   200,   200,   200,   404,          200,    403],
  // Held to the guest role (appsessionaccess: guest, the default), whose guests here only sign up.
  quickBloxApplicationSession:   [403,   403,   403,   403,   403,          403,    401],
  quickBloxUserSession:          [200,   200,   200,   403,   200,          403,    401],
  quickBloxNarrowUserSession:    [200,   403,   403,   403,   403,          403,    401],
  oauthUserWithWrite:            [200,   200,   200,   403,   200,          403,    403],
  oauthUserWithoutWrite:         [200,   403,   200,   403,   403,          403,    403],
  oauthClientWithWrite:          [200,   200,   200,   403,   403,          403,    403],
  oauthClientWithoutWrite:       [200,   403,   200,   403,   403,          403,    403],
} satisfies Record<string, number[]>;

type Principal = keyof typeof expected;

/** How a credential travels: the typed client puts it in a header or in the query string. */
interface Carrier {
  name: string;
  credential: Credential;
}
const bearer = (token: string): Carrier => ({ name: 'Authorization: Bearer', credential: { token } });
const accessToken = (token: string): Carrier => ({ name: '?access_token', credential: { query: { access_token: token } } });
const clientPair = (id: string, secret: string): Carrier => ({ name: '?client_id&client_secret', credential: { query: { client_id: id, client_secret: secret } } });
const qbToken = (token: string): Carrier => ({ name: 'QB-Token', credential: { qbToken: token } });
const nothing: Carrier = { name: 'no credential', credential: {} };
const tokenCarriers = (token: string) => [bearer(token), accessToken(token)];

let w: World;
const clock = new ManualClock();
let carriers: Record<Principal, Carrier[]>;
const acme = (app: string): AppParams => ({ org: 'acme', app });
/** The application each principal acts in. */
const applicationOf = (principal: Principal) => acme(['userWithNarrowRole', 'quickBloxNarrowUserSession'].includes(principal) ? 'locked' : 'app');

/** A token from the OAuth token endpoint (a form, the client in HTTP Basic). */
async function oauthToken(form: components['schemas']['OAuthTokenRequest'], client: { client_id: string; client_secret?: string }): Promise<string> {
  if (client.client_secret === undefined) throw new Error(`client ${client.client_id} has no secret`);
  const api = w.api({ headers: { authorization: basic(client.client_id, client.client_secret) } });
  return (await ok(api.POST('/oauth/token', { body: form, ...asForm }), 200)).access_token;
}

beforeAll(async () => {
  w = await startWorld({ clock });
  const org = w.acme;
  for (const username of ['member', 'other']) await createUser(w.http, w.acme, username);

  // The application where a role is all a user has.
  const locked = acme('locked');
  const lockedKeys = (await ok(w.asAdmin.POST('/management/orgs/{org}/apps', { params: { path: { org: 'acme' } }, body: { name: 'locked' } }), 200)).data.credentials;
  const role = (name: string) => ({ path: { ...locked, role: name } });
  await ok(w.asAdmin.DELETE('/{org}/{app}/roles/{role}', { params: role('default') }), 200);
  await ok(w.asAdmin.POST('/{org}/{app}/roles', { params: { path: locked }, body: { name: 'cat-reader' } }), 200);
  await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/permissions', { params: role('cat-reader'), body: { permission: 'get:/cats' } }), 200);
  for (const username of ['reader', 'other']) await createUser(w.http, w.acme, username, locked.app);
  await ok(w.asAdmin.POST('/{org}/{app}/roles/{role}/users/{user}', { params: { path: { ...locked, role: 'cat-reader', user: 'reader' } } }), 200);

  const apiToken = async (access: 'read' | 'full') => {
    const created = await ok(w.asAdmin.POST('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path: acme('app') }, body: { name: `${access} token`, access } }), 200);
    return created.data.access_token;
  };
  const oauthClient = await ok(
    w.asAdmin.POST('/management/orgs/{org}/apps/{app}/clients', {
      params: { path: acme('app') },
      body: { name: 'Matrix', redirect_uris: ['https://client.example/cb'], grant_types: ['password', 'client_credentials'], first_party: true },
    }),
    201,
  );
  const userCredentials = { grant_type: 'password', username: 'member', password: passwordOf('member') };
  const lockedApp = { applicationId: lockedKeys.application_id, authKey: lockedKeys.auth_key, authSecret: lockedKeys.auth_secret };
  const organizationClientToken = await ok(
    w.api().POST('/management/token', { body: { grant_type: 'client_credentials', client_id: org.clientId, client_secret: org.clientSecret } }),
    200,
  );
  const applicationClientToken = await ok(
    w.api().POST('/{org}/{app}/token', {
      params: { path: acme('app') },
      body: { grant_type: 'client_credentials', client_id: org.app.clientId, client_secret: org.app.clientSecret },
    }),
    200,
  );

  carriers = {
    superuser: tokenCarriers(w.root),
    organizationAdmin: tokenCarriers(w.acme.admin.token),
    adminOfAnotherOrganization: tokenCarriers(w.globex.admin.token),
    organizationClient: [
      clientPair(org.clientId, org.clientSecret),
      ...tokenCarriers(organizationClientToken.access_token),
    ],
    applicationClient: [
      clientPair(org.app.clientId, org.app.clientSecret),
      ...tokenCarriers(applicationClientToken.access_token),
    ],
    userWithDefaultRole: tokenCarriers(await signIn(w.http, w.acme, 'member')),
    userWithNarrowRole: tokenCarriers(await signIn(w.http, w.acme, 'reader', {}, locked.app)),
    guest: [nothing],
    readApiToken: tokenCarriers(await apiToken('read')),
    fullApiToken: tokenCarriers(await apiToken('full')),
    quickBloxApplicationSession: [qbToken(await openSession(w.server.url, org, clock))],
    quickBloxUserSession: [qbToken(await openSession(w.server.url, org, clock, { user: { login: 'member', password: passwordOf('member') } }))],
    quickBloxNarrowUserSession: [qbToken(await openSession(w.server.url, { app: lockedApp }, clock, { user: { login: 'reader', password: passwordOf('reader') } }))],
    oauthUserWithWrite: tokenCarriers(await oauthToken({ ...userCredentials, scope: 'read write' }, oauthClient)),
    oauthUserWithoutWrite: tokenCarriers(await oauthToken({ ...userCredentials, scope: 'read' }, oauthClient)),
    oauthClientWithWrite: tokenCarriers(await oauthToken({ grant_type: 'client_credentials', scope: 'read write' }, oauthClient)),
    oauthClientWithoutWrite: tokenCarriers(await oauthToken({ grant_type: 'client_credentials', scope: 'read' }, oauthClient)),
  };
});
afterAll(() => w.server.close());

describe('the authorization matrix', () => {
  for (const principal of Object.keys(expected) as Principal[]) {
    it(`answers the ${principal} as the table says, over every credential family that carries it`, async () => {
      const seen: string[] = [];
      const wanted: string[] = [];
      for (const carrier of carriers[principal]) {
        const api = w.api(carrier.credential);
        for (const [i, column] of columns.entries()) {
          const { response } = await requests[column](api, applicationOf(principal));
          seen.push(`${carrier.name} ${column}: ${response.status}`);
          wanted.push(`${carrier.name} ${column}: ${expected[principal][i]}`);
        }
      }
      expect(seen).toEqual(wanted);
    });
  }

  it('has a row for every kind of principal and a cell for every request', () => {
    for (const row of Object.values(expected)) expect(row).toHaveLength(columns.length);
  });
});

describe('what the answers say', () => {
  it('challenges a guest (401 with WWW-Authenticate) and tells a signed-in user no (403 forbidden, no challenge)', async () => {
    const anonymous = await w.api().GET('/{org}/{app}/{collection}', { params: cats(acme('app')) });
    expect(anonymous.response.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
    expect(anonymous.error?.error).toBe('unauthorized');
    const member = await w.api(await signIn(w.http, w.acme, 'member')).POST('/{org}/{app}/roles', { params: { path: acme('app') }, body: { name: 'nope' } });
    expect(member.error?.error).toBe('forbidden');
  });

  it('holds a read-only credential to its ceiling before roles (403 insufficient_scope)', async () => {
    const [carrier] = carriers.readApiToken;
    const answer = await w.api(carrier!.credential).POST('/{org}/{app}/{collection}', { params: cats(acme('app')), body: { name: 'no' } });
    expect(answer.error?.error).toBe('insufficient_scope');
  });

  it("keeps QuickBlox's own answer for an application session's write on its own routes (422 Forbidden. Need user.)", async () => {
    const [carrier] = carriers.quickBloxApplicationSession;
    const answer = await w.api(carrier!.credential).POST('/data/{className}.json', { params: { path: { className: 'cats' } }, body: { color: 'grey' } });
    expect(answer.response.status).toBe(422);
    expect(answer.error).toEqual({ errors: { base: ['Forbidden. Need user.'] } });
  });
});
