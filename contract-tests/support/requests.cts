/**
 * What the per-transaction hooks do to Dredd's request: name the transaction, point the path at
 * other names, set the query and the body, and present one kind of credential each.
 *
 * Dredd builds every transaction of an operation from the same request (the spec's examples), so
 * these helpers are how a hook steers it to the one status code its transaction expects.
 */
import type hooks = require('hooks');
import fixturesModule = require('./fixtures.cjs');

type Transaction = hooks.Transaction;
const { fixtures } = fixturesModule;

/**
 * Names the transactions of one operation: `{path template} > {summary} > {status} > application/json`
 * (Dredd uses the operation's summary as the action name; every response here is JSON).
 */
function operation(pathTemplate: string, summary: string): (status: number) => string {
  return (status) => `${pathTemplate} > ${summary} > ${status} > application/json`;
}

function splitPath(t: Transaction): { path: string; query: string } {
  const at = t.fullPath.indexOf('?');
  return at === -1 ? { path: t.fullPath, query: '' } : { path: t.fullPath.slice(0, at), query: t.fullPath.slice(at) };
}

/** Replaces path parameters (`{ org: 'x' }`) in the request Dredd built from the spec's examples. */
function at(t: Transaction, params: Record<string, string>): void {
  const { path, query } = splitPath(t);
  const actual = path.split('/');
  const rebuilt = t.origin.resourceName.split('/').map((segment, i) => {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    return name !== undefined && params[name] !== undefined ? encodeURIComponent(params[name]) : actual[i];
  });
  t.fullPath = rebuilt.join('/') + query;
}

/** Sets query parameters, replacing any of the same name (e.g. the spec's `limit=10`). */
function withQuery(t: Transaction, params: Record<string, string>): void {
  const { path, query } = splitPath(t);
  const search = new URLSearchParams(query);
  for (const [key, value] of Object.entries(params)) search.set(key, value);
  t.fullPath = `${path}?${search.toString()}`;
}

/**
 * Sets the request body, encoded as the transaction's Content-Type says. Operations that accept
 * both JSON and forms get one transaction per media type under the same name, so the same hook
 * serves both; Dredd gives the form one no body at all (it cannot read form examples).
 */
function withBody(t: Transaction, value: Record<string, string | number | boolean>): void {
  const type = t.request.headers['Content-Type'] ?? '';
  t.request.body = type.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(Object.entries(value).map(([k, v]) => [k, String(v)])).toString()
    : JSON.stringify(value);
}

/**
 * Runs an asynchronous hook (one that first makes something through the API). Dredd waits only
 * for hooks that take a `done` callback; a failure fails the transaction instead of hanging it.
 */
function step(work: (t: Transaction) => Promise<void>): (t: Transaction, done: () => void) => void {
  return (t, done) => {
    work(t).then(done, (error: unknown) => {
      t.fail = `before hook failed: ${error instanceof Error ? error.message : String(error)}`;
      done();
    });
  };
}

// One helper per kind of credential. Each 2xx hook picks one; together they cover every scheme the
// spec offers (bearerAuth, accessToken, clientId + clientSecret) and every kind of principal.

const bearer = (t: Transaction, token: string) => {
  t.request.headers.Authorization = `Bearer ${token}`;
};

/** The superuser, who administers every organization and alone may create them. */
const asSuperuser = (t: Transaction) => bearer(t, fixtures().tokens.superuser);

/** An admin of the demo organization, by `Authorization: Bearer`. */
const asOrgAdmin = (t: Transaction) => bearer(t, fixtures().tokens.orgAdmin);

/** The same admin token, in the `access_token` query parameter (Usergrid style). */
const asOrgAdminInQuery = (t: Transaction) => withQuery(t, { access_token: fixtures().tokens.orgAdmin });

/** An admin of another organization: a valid credential that must get 403 in the demo organization. */
const asOutsider = (t: Transaction) => bearer(t, fixtures().tokens.outsider);

/** The demo organization's client id and secret. */
const asOrgClient = (t: Transaction) => withQuery(t, { ...fixtures().orgClient });

/** The storefront application's client id and secret. */
const asAppClient = (t: Transaction) => withQuery(t, { ...fixtures().appClient });

/** A well-formed access token the server never issued. */
const neverIssued = 'tsr_at_never-issued-by-this-server';

/** Presents `neverIssued` as the bearer token: 401. */
const withUnknownToken = (t: Transaction) => bearer(t, neverIssued);

export = {
  operation, at, withQuery, withBody, step,
  asSuperuser, asOrgAdmin, asOrgAdminInQuery, asOutsider, asOrgClient, asAppClient, withUnknownToken, neverIssued,
};
