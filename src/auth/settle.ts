import { bearerChallenge, CredentialRequired, InvalidRequest } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { TokenStore } from '../tokens/token-store.js';
import type { Authentication, PresentedCredential } from './authentication.js';
import { guest, type Principal } from './principal.js';

/** Which way each scheme carries its credential; two different ways in one request is an error. */
const mechanismOf: Record<string, string> = {
  bearerAuth: 'the Authorization header',
  oauth2: 'the Authorization header',
  basicAuth: 'the Authorization header',
  accessToken: 'the access_token parameter',
  clientId: 'client_id and client_secret',
  clientSecret: 'client_id and client_secret',
  QBToken: 'the QB-Token header',
};

/**
 * The scheme a credential is counted under in the metrics: the one that carries it, so that a
 * token checked by both `bearerAuth` and `oauth2`, or a client pair checked by `clientId` and
 * `clientSecret`, is one authentication. Fixed at boot: a scheme outside this list counts as `other`.
 */
const countedSchemeOf: Record<string, string> = {
  bearerAuth: 'bearerAuth',
  oauth2: 'bearerAuth',
  basicAuth: 'basicAuth',
  accessToken: 'accessToken',
  clientId: 'clientCredentials',
  clientSecret: 'clientCredentials',
  clientCredentials: 'clientCredentials',
  QBToken: 'QBToken',
};

type SchemeResult = Authentication | false | undefined | { error: unknown };
const isFailure = (r: SchemeResult): r is { error: unknown } => typeof r === 'object' && r !== null && 'error' in r;

/** Who the request is, and the credential it presented (none for a guest). */
export interface Settled {
  principal: Principal;
  presented?: PresentedCredential;
}

/**
 * Turns the results of the security handlers (openapi-backend's `c.security`, one per scheme) into
 * one principal (connexion's rule: "no credential" differs from "a bad credential", and the most
 * specific answer wins):
 * - credentials sent by more than one mechanism → 400 `invalid_request` (RFC 6750 §2, node-oidc-provider);
 * - a credential that was sent and is bad → its own 401 (or 400);
 * - a good one → the principal; none at all → a guest, which the operation may or may not accept.
 * It is the one step of authentication allowed a side effect: recording the use of a token
 * (last use, sliding expiry), which the token store writes behind.
 */
export const settlePrincipal = (deps: { tokens: TokenStore; metrics: Pick<Metrics, 'authenticated'> }) =>
  function settlePrincipal(results: Record<string, unknown> | undefined): Settled {
    const presented = Object.entries(results ?? {}).filter(
      (entry): entry is [string, Exclude<SchemeResult, false | undefined>] => entry[0] !== 'authorized' && Boolean(entry[1]),
    );
    const mechanisms = new Set(presented.map(([scheme]) => mechanismOf[scheme] ?? scheme));
    if (mechanisms.size > 1) {
      deps.metrics.authenticated('several', 'failed');
      const description = `Send one credential, by one mechanism (got ${[...mechanisms].join(' and ')})`;
      throw new InvalidRequest(description, { headers: { 'WWW-Authenticate': bearerChallenge('invalid_request', description) } });
    }
    const failure = presented.find(([, result]) => isFailure(result));
    if (failure) {
      deps.metrics.authenticated(countedSchemeOf[failure[0]] ?? 'other', 'failed');
      throw (failure[1] as { error: unknown }).error;
    }
    const authentication = presented[0]?.[1] as Authentication | undefined;
    if (!authentication) {
      // Only operations that take a credential count its absence (`security: []` ones run no scheme).
      if (results && Object.keys(results).length > 1) deps.metrics.authenticated('none', 'absent');
      return { principal: guest };
    }
    deps.metrics.authenticated(countedSchemeOf[authentication.presented.scheme] ?? 'other', 'ok');
    const { principal } = authentication;
    if (principal.credential.token) principal.credential.expiresAt = deps.tokens.touch(principal.credential.token);
    return authentication;
  };

/** openapi-backend calls this when no requirement was met and settlePrincipal found no error. */
export function unauthorized(): never {
  throw new CredentialRequired();
}
