/**
 * The token API: /management/token and /management/me (GET and POST), /{org}/{app}/token, minting a
 * user's token, revocation (logout) of application and admin users, and API tokens.
 *
 * Tokens and users that a transaction revokes are made for it, so no other hook loses its token.
 */
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');
import type { ContractSeed } from '../server.js' with { 'resolution-mode': 'import' };

type Transaction = hooks.Transaction;
const { fixtures, unique, newAdmin, freshUser, throttledUsername } = fixturesModule;
const { operation, at, withQuery, withBody, step, asSuperuser, asOrgAdmin, asOutsider, withUnknownToken, neverIssued } = requests;

const seed = JSON.parse(process.env.TESSERA_CONTRACT_SEED ?? '{}') as ContractSeed;

/** A JSON request to the server under test; the answer's body, or an error naming the request. */
async function call(method: string, path: string, options: { token?: string; json?: unknown } = {}): Promise<Record<string, any>> {
  const response = await fetch(seed.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token && { authorization: `Bearer ${options.token}` }) },
    ...(options.json !== undefined && { body: JSON.stringify(options.json) }),
  });
  const body = (await response.json()) as Record<string, any>;
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

const f = () => fixtures();
const appPath = () => `/${f().organization}/${f().application}`;
const adminLogin = () => ({ grant_type: 'password', ...f().admin });
const userLogin = () => ({ grant_type: 'password', ...seed.demo.user });
const wrongLogin = () => ({ grant_type: 'password', username: unique('nobody'), password: 'any-password' });

/** A new token for the demo admin (not the fixtures' one, which other hooks keep using). */
const freshAdminToken = async () => (await call('POST', '/management/token', { json: adminLogin() })).access_token as string;

/** A new admin user (with an organization of their own), signed in: the username and a token. */
async function freshAdmin(): Promise<{ username: string; token: string }> {
  const admin = newAdmin('revoked-admin');
  await call('POST', '/management/orgs', { token: f().tokens.superuser, json: { organization: unique('org'), ...admin } });
  const login = await call('POST', '/management/token', { json: { grant_type: 'password', username: admin.username, password: admin.password } });
  return { username: admin.username, token: login.access_token };
}

/** A new user of the demo application and a token of theirs (fixtures make passwords `<username>-password`). */
async function freshUserWithToken(): Promise<{ username: string; token: string }> {
  const username = await freshUser();
  const login = await call('POST', `${appPath()}/token`, { json: { grant_type: 'password', username, password: `${username}-password` } });
  return { username, token: login.access_token };
}

/** A username of the demo application whose sign-ins are refused with 429 right now (see `throttledUsername`). */
async function throttledAppUsername(): Promise<string> {
  const username = unique('app-guesser');
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const response = await fetch(`${seed.url}${appPath()}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username, password: 'wrong-password' }),
    });
    await response.arrayBuffer();
    if (response.status === 429) return username;
  }
  throw new Error(`50 wrong passwords for ${username} and still no 429`);
}

/** Sends a query-string grant (the GET token endpoints). */
const queryGrant = (t: Transaction, fields: Record<string, string>) => withQuery(t, fields);

// --- /management/token -------------------------------------------------------------------------

const getManagementToken = operation('/management/token', 'Get an admin or client access token (query parameters)');
hooks.before(getManagementToken(200), (t) => queryGrant(t, adminLogin()));
hooks.before(getManagementToken(400), (t) => queryGrant(t, wrongLogin()));
hooks.before(getManagementToken(401), withUnknownToken);
hooks.before(getManagementToken(429), step(async (t) => queryGrant(t, { grant_type: 'password', username: await throttledUsername(), password: 'wrong-password' })));

// POST /management/token's other codes are 20-management-token's; the client grants brought 401.
const createManagementToken = operation('/management/token', 'Get an admin access token');
hooks.before(createManagementToken(401), (t) => {
  withBody(t, { grant_type: 'client_credentials', client_id: `YXA6${unique('unknown-client')}`, client_secret: 'tsr_cs_wrong' });
});

const getManagementMe = operation('/management/me', "The caller's admin token and account");
hooks.before(getManagementMe(200), asOrgAdmin);
// The spec's example sends grant_type=password; without a username that is a bad request.
hooks.before(getManagementMe(400), (t) => queryGrant(t, { grant_type: 'password' }));
hooks.before(getManagementMe(401), withUnknownToken);
hooks.before(getManagementMe(429), step(async (t) => queryGrant(t, { grant_type: 'password', username: await throttledUsername(), password: 'wrong-password' })));

const createManagementMe = operation('/management/me', "The caller's admin token and account, or a new token");
hooks.before(createManagementMe(200), (t) => withBody(t, adminLogin()));
hooks.before(createManagementMe(400), (t) => withBody(t, wrongLogin()));
hooks.before(createManagementMe(401), (t) => { withUnknownToken(t); withBody(t, adminLogin()); });
hooks.before(createManagementMe(429), step(async (t) => withBody(t, { grant_type: 'password', username: await throttledUsername(), password: 'wrong-password' })));

// --- /management/users/{user}/revoketoken(s) -----------------------------------------------------

const noAdmin = { user: 'no-such-admin' };

for (const summary of ['Revoke every token of an admin user (log out everywhere)', 'Revoke every token of an admin user (PUT form)']) {
  const revokeAll = operation('/management/users/{user}/revoketokens', summary);
  hooks.before(revokeAll(200), step(async (t) => {
    const admin = await freshAdmin();
    t.request.headers.Authorization = `Bearer ${admin.token}`;
    at(t, { user: 'me' });
  }));
  hooks.before(revokeAll(401), withUnknownToken);
  hooks.before(revokeAll(403), asOutsider);
  hooks.before(revokeAll(404), (t) => { asSuperuser(t); at(t, noAdmin); });
}

for (const summary of ['Revoke one token of an admin user (log out)', 'Revoke one token of an admin user (PUT form)']) {
  const revokeOne = operation('/management/users/{user}/revoketoken', summary);
  hooks.before(revokeOne(200), step(async (t) => { asSuperuser(t); at(t, { user: f().admin.username }); withQuery(t, { token: await freshAdminToken() }); }));
  hooks.before(revokeOne(400), (t) => { asSuperuser(t); withQuery(t, { token: '' }); });
  hooks.before(revokeOne(401), withUnknownToken);
  hooks.before(revokeOne(403), (t) => { asOutsider(t); withQuery(t, { token: neverIssued }); });
  hooks.before(revokeOne(404), (t) => { asSuperuser(t); at(t, { user: f().admin.username }); withQuery(t, { token: neverIssued }); });
}

// --- API tokens ---------------------------------------------------------------------------------

const noApplication = { app: 'no-such-application' };
const newApiToken = () => ({ name: unique('api-token'), access: 'read' });

const listApiTokens = operation('/management/orgs/{org}/apps/{app}/api-tokens', "List the application's API tokens");
hooks.before(listApiTokens(200), asOrgAdmin);
hooks.before(listApiTokens(401), withUnknownToken);
hooks.before(listApiTokens(403), asOutsider);
hooks.before(listApiTokens(404), (t) => { asSuperuser(t); at(t, noApplication); });

const createApiToken = operation('/management/orgs/{org}/apps/{app}/api-tokens', 'Create an API token (Quable style)');
hooks.before(createApiToken(200), (t) => { asOrgAdmin(t); withBody(t, newApiToken()); });
hooks.before(createApiToken(400), (t) => { asOrgAdmin(t); withBody(t, { name: 'x', access: 'admin' }); });
hooks.before(createApiToken(401), (t) => { withUnknownToken(t); withBody(t, newApiToken()); });
hooks.before(createApiToken(403), (t) => { asOutsider(t); withBody(t, newApiToken()); });
hooks.before(createApiToken(404), (t) => { asSuperuser(t); at(t, noApplication); withBody(t, newApiToken()); });

const revokeApiToken = operation('/management/orgs/{org}/apps/{app}/api-tokens/{apiToken}', 'Revoke an API token');
hooks.before(revokeApiToken(200), step(async (t) => {
  const made = await call('POST', `/management/orgs/${f().organization}/apps/${f().application}/api-tokens`, { token: f().tokens.orgAdmin, json: newApiToken() });
  asOrgAdmin(t);
  at(t, { apiToken: String(made.data.api_token.id) });
}));
hooks.before(revokeApiToken(401), withUnknownToken);
hooks.before(revokeApiToken(403), asOutsider);
hooks.before(revokeApiToken(404), (t) => { asOrgAdmin(t); at(t, { apiToken: '999999999' }); });

// --- /{org}/{app}/token ---------------------------------------------------------------------------

/** The storefront's client at the sandbox: a good pair that does not reach the application. */
const foreignClient = () => ({ grant_type: 'client_credentials', ...f().appClient });

const getApplicationToken = operation('/{org}/{app}/token', "Get an application user's or client's access token (query parameters)");
hooks.before(getApplicationToken(200), (t) => queryGrant(t, userLogin()));
hooks.before(getApplicationToken(400), (t) => queryGrant(t, wrongLogin()));
hooks.before(getApplicationToken(401), withUnknownToken);
hooks.before(getApplicationToken(403), (t) => { at(t, { app: 'sandbox' }); queryGrant(t, foreignClient()); });
hooks.before(getApplicationToken(404), (t) => { at(t, noApplication); queryGrant(t, userLogin()); });
hooks.before(getApplicationToken(429), step(async (t) => queryGrant(t, { grant_type: 'password', username: await throttledAppUsername(), password: 'wrong-password' })));

const createApplicationToken = operation('/{org}/{app}/token', "Get an application user's or client's access token");
hooks.before(createApplicationToken(200), (t) => withBody(t, userLogin()));
hooks.before(createApplicationToken(400), (t) => withBody(t, wrongLogin()));
hooks.before(createApplicationToken(401), (t) => { withUnknownToken(t); withBody(t, userLogin()); });
hooks.before(createApplicationToken(403), (t) => { at(t, { app: 'sandbox' }); withBody(t, foreignClient()); });
hooks.before(createApplicationToken(404), (t) => { at(t, noApplication); withBody(t, userLogin()); });
hooks.before(createApplicationToken(429), step(async (t) => withBody(t, { grant_type: 'password', username: await throttledAppUsername(), password: 'wrong-password' })));

// --- /{org}/{app}/users/{user}/token and revocation ------------------------------------------------

const noUser = { user: 'no-such-user' };

const getUserToken = operation('/{org}/{app}/users/{user}/token', 'Mint an access token for an application user');
hooks.before(getUserToken(200), asOrgAdmin);
hooks.before(getUserToken(400), (t) => { asOrgAdmin(t); withQuery(t, { ttl: '604800001' }); });
hooks.before(getUserToken(401), withUnknownToken);
hooks.before(getUserToken(403), asOutsider);
hooks.before(getUserToken(404), (t) => { asOrgAdmin(t); at(t, noUser); });

for (const summary of ['Revoke every token of an application user (log out everywhere)', 'Revoke every token of an application user (PUT form)']) {
  const revokeAll = operation('/{org}/{app}/users/{user}/revoketokens', summary);
  hooks.before(revokeAll(200), step(async (t) => {
    const user = await freshUserWithToken();
    t.request.headers.Authorization = `Bearer ${user.token}`;
    at(t, { user: 'me' });
  }));
  hooks.before(revokeAll(401), withUnknownToken);
  hooks.before(revokeAll(403), asOutsider);
  hooks.before(revokeAll(404), (t) => { asOrgAdmin(t); at(t, noUser); });
}

for (const summary of ['Revoke one token of an application user (log out)', 'Revoke one token of an application user (PUT form)']) {
  const revokeOne = operation('/{org}/{app}/users/{user}/revoketoken', summary);
  hooks.before(revokeOne(200), step(async (t) => {
    const user = await freshUserWithToken();
    asOrgAdmin(t);
    at(t, { user: user.username });
    withQuery(t, { token: user.token });
  }));
  hooks.before(revokeOne(400), (t) => { asOrgAdmin(t); withQuery(t, { token: '' }); });
  hooks.before(revokeOne(401), withUnknownToken);
  hooks.before(revokeOne(403), (t) => { asOutsider(t); withQuery(t, { token: neverIssued }); });
  hooks.before(revokeOne(404), (t) => { asOrgAdmin(t); withQuery(t, { token: neverIssued }); });
}

// --- /management/users/{user}/password -----------------------------------------------------------

/** A new admin with a token, whose password changes the server now refuses with 429 (wrong oldpasswords until the throttle steps in). */
async function throttledAdminChange(): Promise<{ token: string }> {
  const admin = await freshAdmin();
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const response = await fetch(`${seed.url}/management/users/me/password`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ oldpassword: 'wrong-password', newpassword: 'never-set-password' }),
    });
    await response.arrayBuffer();
    if (response.status === 429) return admin;
    if (response.status !== 400) throw new Error(`a wrong oldpassword for ${admin.username} answered ${response.status}, not 400 or 429`);
  }
  throw new Error(`50 wrong oldpasswords for ${admin.username} and still no 429`);
}

const changeAdminPassword = operation('/management/users/{user}/password', "Change an admin user's password");
const newAdminPassword = { newpassword: 'changed-by-the-superuser' };
// The superuser sets a new admin's password (no oldpassword); the fixtures' admin keeps theirs.
hooks.before(changeAdminPassword(200), step(async (t) => { asSuperuser(t); at(t, { user: (await freshAdmin()).username }); withBody(t, newAdminPassword); }));
hooks.before(changeAdminPassword(400), (t) => { asSuperuser(t); at(t, { user: 'me' }); withBody(t, { newpassword: 'short' }); });
hooks.before(changeAdminPassword(401), (t) => { withUnknownToken(t); withBody(t, newAdminPassword); });
hooks.before(changeAdminPassword(403), (t) => { asOutsider(t); at(t, { user: f().admin.username }); withBody(t, newAdminPassword); });
hooks.before(changeAdminPassword(404), (t) => { asSuperuser(t); at(t, noAdmin); withBody(t, newAdminPassword); });
hooks.before(changeAdminPassword(429), step(async (t) => {
  const admin = await throttledAdminChange();
  t.request.headers.Authorization = `Bearer ${admin.token}`;
  at(t, { user: 'me' });
  withBody(t, { oldpassword: 'wrong-password', newpassword: 'never-set-password' });
}));
