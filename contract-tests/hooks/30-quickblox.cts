/**
 * QuickBlox's routes: /session.json, /login.json, /users.json, /users/{id}.json and the custom
 * objects under /data, each transaction with the session (application or user) its status needs.
 *
 * Sessions are signed here as a QuickBlox client signs them (reference §2), against the demo
 * application's keys; a transaction that destroys or changes its session gets one of its own.
 */
import crypto = require('node:crypto');
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');
import type { ContractSeed } from '../server.js' with { 'resolution-mode': 'import' };

type Transaction = hooks.Transaction;
type Fields = Record<string, string | number | Record<string, string>>;
const { unique } = fixturesModule;
const { operation, withQuery, step } = requests;

const seed = JSON.parse(process.env.TESSERA_CONTRACT_SEED ?? '{}') as ContractSeed;
const app = () => seed.demo.application;
/** The demo application's user, as QuickBlox names the fields. */
const alice = () => ({ login: seed.demo.user.username, password: seed.demo.user.password });

/** `user[login]=…`: nested fields as QuickBlox's SDKs flatten them, for form bodies and the signature. */
function flatten(fields: Fields): [string, string][] {
  return Object.entries(fields).flatMap(([name, value]) =>
    typeof value === 'object' ? Object.entries(value).map(([key, inner]): [string, string] => [`${name}[${key}]`, inner]) : [[name, String(value)]],
  );
}

/** The body of a signed `POST /session.json` (a fresh nonce each time), as a client computes it. */
function signedSession(user?: { login: string; password: string }, authSecret = app().authSecret): Fields {
  const fields: Fields = {
    application_id: app().applicationId,
    auth_key: app().authKey,
    nonce: crypto.randomInt(0, 2 ** 40),
    timestamp: Math.floor(Date.now() / 1000),
    ...(user && { user }),
  };
  const message = flatten(fields).map(([name, value]) => `${name}=${value}`).sort().join('&');
  return { ...fields, signature: crypto.createHmac('sha1', authSecret).update(message).digest('hex') };
}

/** Sets the request body, nested as JSON or flattened with brackets as a form, as the transaction's Content-Type says. */
function withFields(t: Transaction, fields: Fields): void {
  const form = (t.request.headers['Content-Type'] ?? '').startsWith('application/x-www-form-urlencoded');
  t.request.body = form ? new URLSearchParams(flatten(fields)).toString() : JSON.stringify(fields);
}

/** A request to the server under test; the parsed answer, or an error naming the request. */
async function call(method: string, path: string, options: { token?: string; json?: unknown } = {}): Promise<Record<string, any>> {
  const response = await fetch(seed.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token && { 'QB-Token': options.token }) },
    ...(options.json !== undefined && { body: JSON.stringify(options.json) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? (JSON.parse(text) as Record<string, any>) : {};
}

/** A new session's token: an application session, or a user session for `user`. */
async function newSession(user?: { login: string; password: string }): Promise<string> {
  return (await call('POST', '/session.json', { json: signedSession(user) })).session.token as string;
}

/** A user signed up for one transaction, with a session of their own (and an external id, when given). */
async function freshUserSession(externalId?: number): Promise<{ id: number; token: string }> {
  const login = unique('qb-user');
  const password = `${login}-password`;
  const { user } = await call('POST', '/users.json', { token: await newSession(), json: { user: { login, password, ...(externalId !== undefined && { external_user_id: externalId }) } } });
  return { id: user.id as number, token: await newSession({ login, password }) };
}

/** A user signed up with an email and an external id, as a QuickBlox client signs one up. */
async function signedUpWithEmail(): Promise<{ login: string; email: string; externalId: number }> {
  const login = unique('qb-found');
  const email = `${login}@users.example`;
  const externalId = crypto.randomInt(1, 2 ** 40);
  await call('POST', '/users.json', { token: await newSession(), json: { user: { login, email, password: `${login}-password`, external_user_id: externalId } } });
  return { login, email, externalId };
}

/** The demo organization's uuid: its QuickBlox account key. */
async function demoAccountKey(): Promise<string> {
  const response = await fetch(`${seed.url}/management/orgs/${encodeURIComponent(seed.demo.organization.name)}`, {
    headers: { authorization: `Bearer ${fixturesModule.fixtures().tokens.superuser}` },
  });
  if (!response.ok) throw new Error(`GET /management/orgs/${seed.demo.organization.name} answered ${response.status}`);
  return ((await response.json()) as { data: { organization: { uuid: string } } }).data.organization.uuid;
}

/** A custom object of the demo application's `Movie` class, created by the holder of `token`. */
async function newMovie(token: string): Promise<string> {
  return (await call('POST', '/data/Movie.json', { token, json: { title: unique('movie') } }))._id as string;
}

/** A login whose sign-ins the server now refuses with 429 (wrong passwords until the throttle steps in). */
async function throttledLogin(): Promise<string> {
  const login = unique('qb-guesser');
  const token = await newSession();
  for (let attempt = 1; attempt <= 50; attempt += 1) {
    const response = await fetch(`${seed.url}/login.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'QB-Token': token },
      body: JSON.stringify({ login, password: 'wrong-password' }),
    });
    if (response.status === 429) return login;
    if (response.status !== 401) throw new Error(`a wrong password for ${login} answered ${response.status}, not 401 or 429`);
  }
  throw new Error(`50 wrong passwords for ${login} and still no 429`);
}

// Sessions several transactions share and none changes: made once, on first use.
let shared: Promise<{ appSession: string; aliceSession: string; aliceId: number }> | undefined;
const sessions = () =>
  (shared ??= (async () => {
    const aliceSession = await newSession(alice());
    const { session } = await call('GET', '/session.json', { token: aliceSession });
    return { appSession: await newSession(), aliceSession, aliceId: session.user_id as number };
  })());

const withToken = (t: Transaction, token: string) => {
  t.request.headers['QB-Token'] = token;
};
const asApplicationSession = async (t: Transaction) => withToken(t, (await sessions()).appSession);
// Reads go as alice: an application session reads only what the guest role allows (appsessionaccess: guest).
const asAlice = async (t: Transaction) => withToken(t, (await sessions()).aliceSession);
/** A token this server never issued: 401 "Required session does not exist". */
const withUnknownSession = (t: Transaction) => withToken(t, 'c56f382b402fb482086db956064592d3cd012bba');
/** No QB-Token at all: 401 "Token is required". */
const withoutSession = (_t: Transaction) => undefined;
/** Points the request at another path (QuickBlox's `{id}.json` segments are beyond `requests.at`). */
const toPath = (t: Transaction, path: string) => {
  const query = t.fullPath.indexOf('?');
  t.fullPath = path + (query === -1 ? '' : t.fullPath.slice(query));
};
const noContent = (pathTemplate: string, summary: string) => (status: number) => `${pathTemplate} > ${summary} > ${status}`;

// /session.json
const createSession = operation('/session.json', 'Create an application or user session (QuickBlox)');
hooks.before(createSession(201), (t) => withFields(t, signedSession()));
hooks.before(createSession(401), (t) => withFields(t, signedSession({ login: alice().login, password: 'wrong-password' })));
hooks.before(createSession(422), (t) => withFields(t, signedSession(undefined, 'not-the-auth-secret')));
hooks.before(createSession(429), step(async (t) => withFields(t, signedSession({ login: await throttledLogin(), password: 'wrong-password' }))));

const getSession = operation('/session.json', 'Show the current session (QuickBlox)');
hooks.before(getSession(200), step(asApplicationSession));
hooks.before(getSession(401), withoutSession);

const deleteSession = noContent('/session.json', 'Destroy the current session (QuickBlox)');
hooks.before(deleteSession(200), step(async (t) => withToken(t, await newSession())));
hooks.before(operation('/session.json', 'Destroy the current session (QuickBlox)')(401), withUnknownSession);

// /login.json
const login = operation('/login.json', 'Log a user in to the current session (QuickBlox)');
hooks.before(login(200), step(async (t) => { withToken(t, await newSession()); withFields(t, { login: alice().login, password: alice().password }); }));
hooks.before(login(401), step(async (t) => { await asApplicationSession(t); withFields(t, { login: alice().login, password: 'wrong-password' }); }));
hooks.before(login(422), step(async (t) => { await asApplicationSession(t); withFields(t, { password: 'no-login-given' }); }));
hooks.before(login(429), step(async (t) => { await asApplicationSession(t); withFields(t, { login: await throttledLogin(), password: 'wrong-password' }); }));

const logout = noContent('/login.json', 'Log the user out, keeping the application session (QuickBlox)');
hooks.before(logout(200), step(async (t) => withToken(t, await newSession(alice()))));
hooks.before(operation('/login.json', 'Log the user out, keeping the application session (QuickBlox)')(401), withoutSession);

// /users.json and /users/{id}.json
const listUsers = operation('/users.json', "List the application's users (QuickBlox)");
hooks.before(listUsers(200), step(async (t) => { await asAlice(t); withQuery(t, { page: '1', per_page: '1' }); }));
hooks.before(listUsers(401), withUnknownSession);
hooks.before(listUsers(422), step(async (t) => { await asApplicationSession(t); withQuery(t, { per_page: '1000' }); }));

const signUp = operation('/users.json', 'Sign a user up (QuickBlox)');
hooks.before(signUp(201), step(async (t) => { await asApplicationSession(t); const name = unique('qb-signup'); withFields(t, { user: { login: name, password: `${name}-password`, full_name: 'Signed Up' } }); }));
hooks.before(signUp(401), (t) => { withoutSession(t); withFields(t, { user: { login: unique('qb-signup'), password: 'long-enough-password' } }); });
hooks.before(signUp(422), step(async (t) => { await asApplicationSession(t); withFields(t, { user: { login: alice().login, password: 'long-enough-password' } }); }));

const getUser = operation('/users/{id}.json', 'Read a user by id (QuickBlox)');
hooks.before(getUser(200), step(async (t) => { await asAlice(t); toPath(t, `/users/${(await sessions()).aliceId}.json`); }));
hooks.before(getUser(401), withUnknownSession);
hooks.before(getUser(404), step(async (t) => { await asAlice(t); toPath(t, '/users/2147483647.json'); }));
hooks.before(getUser(422), step(async (t) => { await asApplicationSession(t); toPath(t, '/users/not-a-number.json'); }));

const byLogin = operation('/users/by_login.json', 'Read a user by login (QuickBlox)');
hooks.before(byLogin(200), step(async (t) => { await asAlice(t); withQuery(t, { login: alice().login }); }));
hooks.before(byLogin(401), withUnknownSession);
hooks.before(byLogin(404), step(async (t) => { await asAlice(t); withQuery(t, { login: unique('nobody') }); }));
hooks.before(byLogin(422), step(async (t) => { await asAlice(t); t.fullPath = '/users/by_login.json'; }));

const byEmail = operation('/users/by_email.json', 'Read a user by email (QuickBlox)');
hooks.before(byEmail(200), step(async (t) => { await asAlice(t); withQuery(t, { email: (await signedUpWithEmail()).email }); }));
hooks.before(byEmail(401), withUnknownSession);
hooks.before(byEmail(404), step(async (t) => { await asAlice(t); withQuery(t, { email: `${unique('nobody')}@users.example` }); }));
hooks.before(byEmail(422), step(async (t) => { await asAlice(t); t.fullPath = '/users/by_email.json'; }));

const byExternalId = operation('/users/by_external_user_id/{id}.json', 'Read a user by external id (QuickBlox)');
hooks.before(byExternalId(200), step(async (t) => { await asAlice(t); toPath(t, `/users/by_external_user_id/${(await signedUpWithEmail()).externalId}.json`); }));
hooks.before(byExternalId(401), withUnknownSession);
hooks.before(byExternalId(404), step(async (t) => { await asAlice(t); toPath(t, `/users/by_external_user_id/${2 ** 50}.json`); }));
hooks.before(byExternalId(422), step(async (t) => { await asAlice(t); toPath(t, '/users/by_external_user_id/seven.json'); }));

const byExternal = operation('/users/external/{id}.json', "Read a user by external id, at the SDK's path (QuickBlox)");
hooks.before(byExternal(200), step(async (t) => { await asAlice(t); toPath(t, `/users/external/${(await signedUpWithEmail()).externalId}.json`); }));
hooks.before(byExternal(401), withUnknownSession);
hooks.before(byExternal(404), step(async (t) => { await asAlice(t); toPath(t, `/users/external/${2 ** 50}.json`); }));
hooks.before(byExternal(422), step(async (t) => { await asAlice(t); toPath(t, '/users/external/seven.json'); }));

const updateUser = operation('/users/{id}.json', 'Change your own user (QuickBlox)');
const change = { user: { full_name: 'Changed Name' } };
hooks.before(updateUser(200), step(async (t) => { const { id, token } = await freshUserSession(); withToken(t, token); toPath(t, `/users/${id}.json`); withFields(t, change); }));
hooks.before(updateUser(401), (t) => { withUnknownSession(t); withFields(t, change); });
hooks.before(updateUser(403), step(async (t) => { const { id } = await freshUserSession(); await asAlice(t); toPath(t, `/users/${id}.json`); withFields(t, change); }));
hooks.before(updateUser(422), step(async (t) => { await asApplicationSession(t); toPath(t, `/users/${(await sessions()).aliceId}.json`); withFields(t, change); }));

const deleteUser = noContent('/users/{id}.json', 'Delete your own user (QuickBlox)');
const deleteUserError = operation('/users/{id}.json', 'Delete your own user (QuickBlox)');
hooks.before(deleteUser(200), step(async (t) => { const { id, token } = await freshUserSession(); withToken(t, token); toPath(t, `/users/${id}.json`); }));
hooks.before(deleteUserError(401), withUnknownSession);
hooks.before(deleteUserError(403), step(async (t) => { const { id } = await freshUserSession(); await asAlice(t); toPath(t, `/users/${id}.json`); }));
hooks.before(deleteUserError(422), step(async (t) => { const { id } = await freshUserSession(); await asApplicationSession(t); toPath(t, `/users/${id}.json`); }));

const deleteByExternal = noContent('/users/external/{id}.json', 'Delete your own user by your external id (QuickBlox)');
const deleteByExternalError = operation('/users/external/{id}.json', 'Delete your own user by your external id (QuickBlox)');
hooks.before(deleteByExternal(200), step(async (t) => {
  const externalId = crypto.randomInt(1, 2 ** 40);
  withToken(t, (await freshUserSession(externalId)).token);
  toPath(t, `/users/external/${externalId}.json`);
}));
hooks.before(deleteByExternalError(401), withUnknownSession);
// Another user's external id: alice may not delete them by it.
hooks.before(deleteByExternalError(403), step(async (t) => { await asAlice(t); toPath(t, `/users/external/${(await signedUpWithEmail()).externalId}.json`); }));
hooks.before(deleteByExternalError(422), step(async (t) => { await asApplicationSession(t); toPath(t, `/users/external/${(await signedUpWithEmail()).externalId}.json`); }));

// /account_settings.json: no session, the account key alone
const accountSettings = operation('/account_settings.json', 'Show the endpoints of the account (QuickBlox)');
hooks.before(accountSettings(200), step(async (t) => { t.request.headers['QB-Account-Key'] = await demoAccountKey(); }));
hooks.before(accountSettings(404), (t) => { t.request.headers['QB-Account-Key'] = crypto.randomUUID(); });
hooks.before(accountSettings(422), (t) => { delete t.request.headers['QB-Account-Key']; });

// /data/{className}.json and /data/{className}/{id}.json
const listObjects = operation('/data/{className}.json', 'List the custom objects of a class (QuickBlox)');
hooks.before(listObjects(200), step(async (t) => { await asAlice(t); withQuery(t, { limit: '5' }); }));
hooks.before(listObjects(401), withUnknownSession);
hooks.before(listObjects(404), step(async (t) => { await asAlice(t); toPath(t, '/data/Users.json'); }));
hooks.before(listObjects(422), step(async (t) => { await asApplicationSession(t); withQuery(t, { limit: '5000' }); }));

const createObject = operation('/data/{className}.json', 'Create a custom object (QuickBlox)');
const movie = () => ({ title: unique('movie'), rating: '9' });
hooks.before(createObject(201), step(async (t) => { await asAlice(t); withFields(t, movie()); }));
hooks.before(createObject(401), (t) => { withUnknownSession(t); withFields(t, movie()); });
hooks.before(createObject(404), step(async (t) => { await asAlice(t); toPath(t, '/data/Roles.json'); withFields(t, movie()); }));
hooks.before(createObject(422), step(async (t) => { await asApplicationSession(t); withFields(t, movie()); }));

const objectPath = (id: string) => `/data/Movie/${id}.json`;
const getObject = operation('/data/{className}/{id}.json', 'Read a custom object by id (QuickBlox)');
hooks.before(getObject(200), step(async (t) => { await asAlice(t); toPath(t, objectPath(await newMovie((await sessions()).aliceSession))); }));
hooks.before(getObject(401), withUnknownSession);
hooks.before(getObject(404), step(async (t) => { await asAlice(t); toPath(t, objectPath('no-such-object')); }));

const updateObject = operation('/data/{className}/{id}.json', 'Change a custom object you created (QuickBlox)');
const rating = { rating: '10' };
hooks.before(updateObject(200), step(async (t) => { await asAlice(t); toPath(t, objectPath(await newMovie((await sessions()).aliceSession))); withFields(t, rating); }));
hooks.before(updateObject(401), (t) => { withUnknownSession(t); withFields(t, rating); });
hooks.before(updateObject(403), step(async (t) => { const other = await freshUserSession(); await asAlice(t); toPath(t, objectPath(await newMovie(other.token))); withFields(t, rating); }));
hooks.before(updateObject(404), step(async (t) => { await asAlice(t); toPath(t, objectPath('no-such-object')); withFields(t, rating); }));
hooks.before(updateObject(422), step(async (t) => { await asApplicationSession(t); toPath(t, objectPath(await newMovie((await sessions()).aliceSession))); withFields(t, rating); }));

const deleteObject = noContent('/data/{className}/{id}.json', 'Delete a custom object you created (QuickBlox)');
const deleteObjectError = operation('/data/{className}/{id}.json', 'Delete a custom object you created (QuickBlox)');
hooks.before(deleteObject(200), step(async (t) => { await asAlice(t); toPath(t, objectPath(await newMovie((await sessions()).aliceSession))); }));
hooks.before(deleteObjectError(401), withUnknownSession);
hooks.before(deleteObjectError(403), step(async (t) => { const other = await freshUserSession(); await asAlice(t); toPath(t, objectPath(await newMovie(other.token))); }));
hooks.before(deleteObjectError(404), step(async (t) => { await asAlice(t); toPath(t, objectPath('no-such-object')); }));
hooks.before(deleteObjectError(422), step(async (t) => { await asApplicationSession(t); toPath(t, objectPath(await newMovie((await sessions()).aliceSession))); }));
