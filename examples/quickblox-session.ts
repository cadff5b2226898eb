/**
 * A QuickBlox session end to end, as a QuickBlox client does it: sign `POST /session.json` with the
 * application's auth secret, log a user in, read with the user session, create and read a custom
 * object, log out, destroy the session, and see the dead token refused.
 *
 * Run: `npm start` in one terminal, then `npx tsx examples/quickblox-session.ts` in another.
 *
 * Environment (defaults: the public demo values of `npm start`):
 *   TESSERA_URL                          http://127.0.0.1:8080
 *   QB_APPLICATION_ID, QB_AUTH_KEY       the application's QuickBlox keys (`npm start` prints them); when
 *                                        unset, read from the management API as the admin below
 *   QB_AUTH_SECRET                       demo-storefront-auth-secret
 *   QB_LOGIN, QB_PASSWORD                alice / alice-password
 *   TESSERA_ORG, TESSERA_APP             demo / storefront (only to look the keys up)
 *   TESSERA_ADMIN, TESSERA_ADMIN_PASSWORD  demo-admin / demo-admin-password (only to look the keys up)
 */
import { createHmac, randomInt } from 'node:crypto';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { baseUrl, env, fail, ok } from './support.js';

const authSecret = env('QB_AUTH_SECRET', 'demo-storefront-auth-secret');
const login = env('QB_LOGIN', 'alice');
const password = env('QB_PASSWORD', 'alice-password');

const expiry = (response: Response) => `QB-Token-ExpirationDate: ${response.headers.get('QB-Token-ExpirationDate')}`;

const api = createClient<paths>({ baseUrl });

/** The keys are made per database: from the environment, or looked up by the demo admin. */
async function quickBloxKeys(): Promise<{ application_id: number; auth_key: string }> {
  if (process.env.QB_APPLICATION_ID && process.env.QB_AUTH_KEY) {
    return { application_id: Number(process.env.QB_APPLICATION_ID), auth_key: process.env.QB_AUTH_KEY };
  }
  const admin = { username: env('TESSERA_ADMIN', 'demo-admin'), password: env('TESSERA_ADMIN_PASSWORD', 'demo-admin-password') };
  const { access_token } = ok('admin token', 200, await api.POST('/management/token', { body: { grant_type: 'password', ...admin } }));
  const params = { path: { org: env('TESSERA_ORG', 'demo'), app: env('TESSERA_APP', 'storefront') } };
  const headers = { authorization: `Bearer ${access_token}` };
  const { credentials } = ok('application keys', 200, await api.GET('/management/orgs/{org}/apps/{app}/credentials', { params, headers }));
  console.log(`QuickBlox keys read from the management API: application_id ${credentials.application_id}`);
  return { application_id: credentials.application_id, auth_key: credentials.auth_key };
}

/** Every parameter but `signature` as `name=value` (nested ones as `user[login]=…`, raw values). */
function pairs(params: object): [string, string][] {
  return Object.entries(params).flatMap(([name, value]): [string, string][] =>
    value !== null && typeof value === 'object' ? pairs(value).map(([k, v]) => [`${name}[${k}]`, v]) : [[name, String(value)]],
  );
}
/** Reference §2: sorted `name=value` strings joined with `&`, lower-case hex HMAC-SHA1 keyed with the auth secret. */
const sign = (params: object) =>
  createHmac('sha1', authSecret).update(pairs(params).map(([k, v]) => `${k}=${v}`).sort().join('&')).digest('hex');
/** A form body as the QuickBlox SDK sends it (`user[login]=…`). */
const form = {
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  bodySerializer: (body: object) => new URLSearchParams(pairs(body)).toString(),
};

async function main(): Promise<void> {
  // 1. An application session (add `user: { login, password }` to sign a user in at once).
  const unsigned = { ...(await quickBloxKeys()), nonce: randomInt(1_000_000), timestamp: Math.floor(Date.now() / 1000) };
  const created = await api.POST('/session.json', { body: { ...unsigned, signature: sign(unsigned) }, ...form });
  const { session } = ok('create session', 201, created);
  console.log(`1. Application session ${session.id} opened (user_id ${session.user_id}, token ${session.token.slice(0, 6)}…); ${expiry(created.response)}`);

  // Every later request carries the session token in `QB-Token`.
  const qb = createClient<paths>({ baseUrl, headers: { 'QB-Token': session.token } });
  const loggedIn = await qb.POST('/login.json', { body: { login, password }, ...form });
  const { user } = ok('log in', 200, loggedIn);
  console.log(`2. Logged in as ${user.login} (id ${user.id}), same token; ${expiry(loggedIn.response)}`);

  // An application session reads only what the application's guests may (`appsessionaccess: guest`); a user session reads as its user.
  const users = ok('list users', 200, await qb.GET('/users.json'));
  console.log(`3. The user session reads ${users.total_entries} user(s): ${users.items.map((i) => i.user.login).join(', ')}`);

  const movie = ok('create a custom object', 201, await qb.POST('/data/{className}.json', { params: { path: { className: 'Movie' } }, body: { title: 'Heat', year: 1995 } }));
  const path = { className: 'Movie', id: movie._id };
  const read = ok('read the custom object', 200, await qb.GET('/data/{className}/{id}.json', { params: { path } }));
  console.log(`4. Created Movie ${movie._id} (user_id ${movie.user_id}); read back: ${JSON.stringify(read.items[0]?.title)}`);
  const deleted = await qb.DELETE('/data/{className}/{id}.json', { params: { path } });
  if (deleted.response.status !== 200) fail('delete the custom object', deleted);
  console.log('5. Deleted it');

  const loggedOut = await qb.DELETE('/login.json');
  if (loggedOut.response.status !== 200) fail('log out', loggedOut);
  console.log('6. Logged out: the token is an application session again');
  const destroyed = await qb.DELETE('/session.json');
  if (destroyed.response.status !== 200) fail('destroy session', destroyed);
  console.log('7. Session destroyed');

  const dead = await qb.GET('/session.json');
  if (dead.response.status !== 401) fail('use the destroyed token', dead);
  console.log(`8. The destroyed token is refused: ${dead.response.status} ${JSON.stringify(dead.error)}`);
  console.log('Done.');
}

main().catch((error: unknown) => {
  // A network failure names its cause (e.g. connect ECONNREFUSED: is the server running?).
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  console.error(`quickblox-session failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exit(1);
});
