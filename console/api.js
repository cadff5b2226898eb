// @ts-check
/**
 * The console's only way to the server: the client typed from the spec (generated/openapi.d.ts),
 * the same operations and the same authorization as curl. The admin token lives in this module's
 * memory only: never in localStorage, sessionStorage or a cookie, never on `window`. Leaving or
 * reloading the page revokes it, and the sign-in asks again. With no ambient credential, a page of
 * another site cannot make the browser act for the admin (no CSRF by construction).
 */
import createClient from './openapi-fetch.js';

/** @typedef {import('../generated/openapi.js').paths} paths */
/** @typedef {import('../generated/openapi.js').components['schemas']['AdminUser']} AdminUser */

/** @type {string | undefined} */
let token;
/** @type {((reason: string) => void) | undefined} */
let onSignedOut;

/** @type {import('openapi-fetch').Client<paths>} */
export const api = createClient({ baseUrl: location.origin, redirect: 'error', cache: 'no-store' });
api.use({
  onRequest({ request }) {
    if (token !== undefined) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
});

/** An answer that is not 2xx, in the API's own words (Usergrid's `error_description`). */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string | undefined} code
   * @param {string} description
   */
  constructor(status, code, description) {
    super(description);
    this.status = status;
    this.code = code;
  }
}

/**
 * The body of a 2xx answer, or an ApiError with the server's description. A 401 while signed in
 * means the token ended (expired, revoked, the password changed): back to the sign-in page.
 * @template T
 * @param {Promise<{ data?: T, error?: unknown, response: Response }>} pending
 * @returns {Promise<T>}
 */
export async function call(pending) {
  // The token this request went out with (the middleware adds it as the request is sent, which is now).
  const sentWith = token;
  let answer;
  try {
    answer = await pending;
  } catch {
    throw new ApiError(0, undefined, 'The server could not be reached. Check the connection and try again.');
  }
  const { data, error, response } = answer;
  if (response.ok) return /** @type {T} */ (data);
  const body = /** @type {{ error?: unknown, error_description?: unknown }} */ (error ?? {});
  const code = typeof body.error === 'string' ? body.error : undefined;
  const description = typeof body.error_description === 'string' && body.error_description ? body.error_description : `The server answered ${response.status} ${response.statusText}`.trim();
  // Only a refusal of the current token ends the session: a late answer to a request made with an
  // older one (signed out and in again meanwhile) must not throw the new one away.
  if (response.status === 401 && token !== undefined && token === sentWith) {
    token = undefined;
    onSignedOut?.(description);
  }
  throw new ApiError(response.status, code, description);
}

/** A console session's token lives a working day at most, whatever the server's longer default. */
const sessionTtlMs = 8 * 60 * 60 * 1000;

/**
 * Sign in with the management API's password grant: the brute-force rules of the API apply as
 * they do to any client.
 * @param {string} username
 * @param {string} password
 * @returns {Promise<AdminUser>}
 */
export async function signIn(username, password) {
  const issued = await call(api.POST('/management/token', { body: { grant_type: 'password', username, password, ttl: sessionTtlMs } }));
  if (!('user' in issued)) throw new ApiError(500, undefined, 'The server did not answer an admin token.');
  token = issued.access_token;
  return issued.user;
}

/**
 * Sign out: the token signing in issued is forgotten at once (a second click, or a late answer,
 * finds nothing to end), then revoked on the server; when the server cannot be reached it ends at
 * its expiry.
 */
export async function signOut() {
  const current = token;
  if (current === undefined) return;
  token = undefined;
  await call(api.POST('/management/users/{user}/revoketoken', { params: { path: { user: 'me' }, query: { token: current } }, headers: { authorization: `Bearer ${current}` } }));
}

/**
 * Leaving the page (reload, close, another site) forgets the token, so it is revoked on the way
 * out: `keepalive` lets the request outlive the page.
 */
window.addEventListener('pagehide', () => {
  const current = token;
  if (current === undefined) return;
  token = undefined;
  void api.POST('/management/users/{user}/revoketoken', { params: { path: { user: 'me' }, query: { token: current } }, headers: { authorization: `Bearer ${current}` }, keepalive: true }).catch(() => {});
});

export function signedIn() {
  return token !== undefined;
}

/** @param {(reason: string) => void} listener called when the server stops accepting the token */
export function whenSignedOut(listener) {
  onSignedOut = listener;
}
