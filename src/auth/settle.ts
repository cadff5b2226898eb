import type { Context as OabContext } from 'openapi-backend';
import { bearerChallenge, CredentialRequired, InvalidRequest } from '../errors.js';
import type { TesseraContext } from '../http/operation-types.js';
import { expirationHeaders } from '../quickblox/wire.js';
import type { TokenStore } from '../tokens/token-store.js';
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

type SchemeResult = Principal | false | undefined | { error: unknown };
const isFailure = (r: SchemeResult): r is { error: unknown } => typeof r === 'object' && r !== null && 'error' in r;

/**
 * Turns the results of the security handlers into one principal (connexion's rule: "no credential"
 * differs from "a bad credential", and the most specific answer wins):
 * - credentials sent by more than one mechanism → 400 `invalid_request` (RFC 6750 §2, node-oidc-provider);
 * - a credential that was sent and is bad → its own 401 (or 400);
 * - a good one → the principal; none at all → a guest, which the operation may or may not accept.
 * It is the one step of authentication allowed a side effect: recording the use of a token
 * (last use, sliding expiry), which the token store writes behind.
 */
export const settlePrincipal = (deps: { tokens: TokenStore }) => (c: OabContext, ctx: TesseraContext): void => {
  const presented = Object.entries(c.security ?? {}).filter(
    (entry): entry is [string, Exclude<SchemeResult, false | undefined>] => entry[0] !== 'authorized' && Boolean(entry[1]),
  );
  const mechanisms = new Set(presented.map(([scheme]) => mechanismOf[scheme] ?? scheme));
  if (mechanisms.size > 1) {
    const description = `Send one credential, by one mechanism (got ${[...mechanisms].join(' and ')})`;
    throw new InvalidRequest(description, { headers: { 'WWW-Authenticate': bearerChallenge('invalid_request', description) } });
  }
  const failure = presented.find(([, result]) => isFailure(result));
  if (failure) throw (failure[1] as { error: unknown }).error;
  const principal = presented[0]?.[1] as Principal | undefined;
  ctx.state.principal = principal ?? guest;
  if (principal?.credential.token) principal.credential.expiresAt = deps.tokens.touch(principal.credential.token);
  if (principal?.credential.scheme === 'QBToken' && principal.credential.expiresAt != null) {
    // QuickBlox: every answer to a request with a valid session, errors included, says when it
    // now expires (reference §7); set here, so an error thrown later keeps it.
    ctx.set(expirationHeaders(principal.credential.expiresAt));
  }
  if (principal?.credential.scheme === 'accessToken') {
    // RFC 6750 §2.3 and §5.3: a token in the URI must not be cached or leak through Referer.
    ctx.set('Cache-Control', 'private');
    ctx.set('Referrer-Policy', 'no-referrer');
  }
  dropFormAccessToken(ctx);
};

/**
 * RFC 6750 §2.2: an `access_token` in a form body is a credential, not data. It is taken out of
 * the body before validation, so no operation stores it (a user's free-form properties, say) or
 * refuses it as an unknown field.
 */
function dropFormAccessToken(ctx: TesseraContext): void {
  const request = ctx.state.plainRequest as { body?: unknown } | undefined;
  if (!request?.body || typeof request.body !== 'object' || !('access_token' in request.body)) return;
  if (!ctx.request.is('application/x-www-form-urlencoded')) return;
  const { access_token: _credential, ...data } = request.body as Record<string, unknown>;
  request.body = data;
}

/** openapi-backend calls this when no requirement was met and settlePrincipal found no error. */
export function unauthorized(): never {
  throw new CredentialRequired();
}

