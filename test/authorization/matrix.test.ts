import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestOptions } from '../helpers/http.js';
import { createOrganization, superuserToken } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { openSession } from '../quickblox/support.js';
import { basic } from '../oauth/setup.js';
import { passwordOf, world, type World } from './support.js';

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
 */
const requests = {
  readCollection: (app: string) => ({ method: 'GET', path: `${app}/cats` }),
  writeCollection: (app: string) => ({ method: 'POST', path: `${app}/cats`, json: { color: 'grey' } }),
  readOtherUser: (app: string) => ({ method: 'GET', path: `${app}/users/other` }),
  updateOtherUser: (app: string) => ({ method: 'PUT', path: `${app}/users/other`, json: { name: 'Changed by someone' } }),
  updateOwnRecord: (app: string) => ({ method: 'PUT', path: `${app}/users/me`, json: { name: 'Changed by myself' } }),
  manageRoles: (app: string) => ({ method: 'POST', path: `${app}/roles`, json: { name: `role-${++roleCounter}` } }),
  management: () => ({ method: 'GET', path: '/management/orgs/acme/apps' }),
} satisfies Record<string, (app: string) => { method: string; path: string; json?: unknown }>;
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
  userWithDefaultRole:           [200,   200,   200,   200,   200,          403,    403],
  userWithNarrowRole:            [200,   403,   403,   403,   403,          403,    403],
  guest:                         [401,   401,   401,   401,   401,          401,    401],
  readApiToken:                  [200,   403,   200,   403,   403,          403,    403],
  fullApiToken:                  [200,   200,   200,   200,   404,          200,    403],
  quickBloxApplicationSession:   [200,   403,   200,   403,   403,          403,    401],
  quickBloxUserSession:          [200,   200,   200,   200,   200,          403,    401],
  quickBloxNarrowUserSession:    [200,   403,   403,   403,   403,          403,    401],
  oauthUserWithWrite:            [200,   200,   200,   200,   200,          403,    403],
  oauthUserWithoutWrite:         [200,   403,   200,   403,   403,          403,    403],
  oauthClientWithWrite:          [200,   200,   200,   200,   404,          403,    403],
  oauthClientWithoutWrite:       [200,   403,   200,   403,   403,          403,    403],
} satisfies Record<string, number[]>;

type Principal = keyof typeof expected;

/** How a credential travels: it changes the request's options (headers) or its query string. */
interface Carrier {
  name: string;
  apply(path: string, options: RequestOptions): { path: string; options: RequestOptions };
}
const withQuery = (path: string, query: Record<string, string>) => `${path}${path.includes('?') ? '&' : '?'}${new URLSearchParams(query)}`;
const bearer = (token: string): Carrier => ({ name: 'Authorization: Bearer', apply: (path, options) => ({ path, options: { ...options, token } }) });
const accessToken = (token: string): Carrier => ({ name: '?access_token', apply: (path, options) => ({ path: withQuery(path, { access_token: token }), options }) });
const clientPair = (id: string, secret: string): Carrier => ({
  name: '?client_id&client_secret',
  apply: (path, options) => ({ path: withQuery(path, { client_id: id, client_secret: secret }), options }),
});
const qbToken = (token: string): Carrier => ({ name: 'QB-Token', apply: (path, options) => ({ path, options: { ...options, headers: { ...options.headers, 'QB-Token': token } } }) });
const nothing: Carrier = { name: 'no credential', apply: (path, options) => ({ path, options }) };
const tokenCarriers = (token: string) => [bearer(token), accessToken(token)];

let w: World;
const clock = new ManualClock();
let carriers: Record<Principal, Carrier[]>;
/** The application each principal acts in. */
const applicationOf = (principal: Principal) => (['userWithNarrowRole', 'quickBloxNarrowUserSession'].includes(principal) ? '/acme/locked' : '/acme/app');

async function token(path: string, body: Record<string, unknown>): Promise<string> {
  const answer = await w.http.post(path, { json: body });
  if (answer.status !== 200) throw new Error(`${path}: ${answer.status} ${answer.text}`);
  return answer.body.access_token;
}

async function oauthToken(form: Record<string, string>, client: { client_id: string; client_secret: string }): Promise<string> {
  const answer = await w.http.post('/oauth/token', { form, headers: { authorization: basic(client.client_id, client.client_secret) } });
  if (answer.status !== 200) throw new Error(`/oauth/token: ${answer.status} ${answer.text}`);
  return answer.body.access_token;
}

beforeAll(async () => {
  w = await world({ clock });
  const org = w.org;
  for (const username of ['member', 'other']) await w.user(username);

  // The application where a role is all a user has.
  const locked = (await w.asAdmin('post', '/management/orgs/acme/apps', { name: 'locked' })).data.credentials;
  await w.asAdmin('delete', '/acme/locked/roles/default');
  await w.asAdmin('post', '/acme/locked/roles', { name: 'cat-reader' });
  await w.asAdmin('post', '/acme/locked/roles/cat-reader/permissions', { permission: 'get:/cats' });
  for (const username of ['reader', 'other']) await w.asAdmin('post', '/acme/locked/users', { username, password: passwordOf(username) });
  await w.asAdmin('post', '/acme/locked/roles/cat-reader/users/reader');

  const apiToken = async (access: 'read' | 'full') =>
    (await w.asAdmin('post', '/management/orgs/acme/apps/app/api-tokens', { name: `${access} token`, access })).data.access_token as string;
  const oauthClient = (await w.http.post('/management/orgs/acme/apps/app/clients', {
    token: w.admin,
    json: { name: 'Matrix', redirect_uris: ['https://client.example/cb'], grant_types: ['password', 'client_credentials'], first_party: true },
  })).body;
  const userCredentials = { grant_type: 'password', username: 'member', password: passwordOf('member') };
  const outsider = await createOrganization(w.http, 'globex');
  const lockedOrg = { ...org, app: { ...org.app, name: 'locked', applicationId: locked.application_id, authKey: locked.auth_key, authSecret: locked.auth_secret } };

  carriers = {
    superuser: tokenCarriers(await superuserToken(w.http)),
    organizationAdmin: tokenCarriers(w.admin),
    adminOfAnotherOrganization: tokenCarriers(outsider.admin.token),
    organizationClient: [
      clientPair(org.clientId, org.clientSecret),
      ...tokenCarriers(await token('/management/token', { grant_type: 'client_credentials', client_id: org.clientId, client_secret: org.clientSecret })),
    ],
    applicationClient: [
      clientPair(org.app.clientId, org.app.clientSecret),
      ...tokenCarriers(await token('/acme/app/token', { grant_type: 'client_credentials', client_id: org.app.clientId, client_secret: org.app.clientSecret })),
    ],
    userWithDefaultRole: tokenCarriers(await w.signIn('member')),
    userWithNarrowRole: tokenCarriers(await token('/acme/locked/token', { grant_type: 'password', username: 'reader', password: passwordOf('reader') })),
    guest: [nothing],
    readApiToken: tokenCarriers(await apiToken('read')),
    fullApiToken: tokenCarriers(await apiToken('full')),
    quickBloxApplicationSession: [qbToken(await openSession(w.http, org, clock))],
    quickBloxUserSession: [qbToken(await openSession(w.http, org, clock, { user: { login: 'member', password: passwordOf('member') } }))],
    quickBloxNarrowUserSession: [qbToken(await openSession(w.http, lockedOrg, clock, { user: { login: 'reader', password: passwordOf('reader') } }))],
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
        for (const [i, column] of columns.entries()) {
          const request = requests[column](applicationOf(principal));
          const { path, options } = carrier.apply(request.path, 'json' in request ? { json: request.json } : {});
          const answer = await w.http.call(request.method, path, options);
          seen.push(`${carrier.name} ${column}: ${answer.status}`);
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
    const anonymous = await w.http.get('/acme/app/cats');
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
    expect(anonymous.body.error).toBe('unauthorized');
    const member = await w.http.post('/acme/app/roles', { token: await w.signIn('member'), json: { name: 'nope' } });
    expect(member.body.error).toBe('forbidden');
  });

  it('holds a read-only credential to its ceiling before roles (403 insufficient_scope)', async () => {
    const [carrier] = carriers.readApiToken;
    const { path, options } = carrier!.apply('/acme/app/cats', { json: { name: 'no' } });
    const answer = await w.http.post(path, options);
    expect(answer.body.error).toBe('insufficient_scope');
  });

  it("keeps QuickBlox's own answer for an application session's write on its own routes (422 Forbidden. Need user.)", async () => {
    const [carrier] = carriers.quickBloxApplicationSession;
    const { options } = carrier!.apply('/data/cats.json', {});
    const answer = await w.http.post('/data/cats.json', { ...options, json: { color: 'grey' } });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({ errors: { base: ['Forbidden. Need user.'] } });
  });
});
