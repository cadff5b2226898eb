import { InvalidRequest } from '../../errors.js';
import type { CredentialRequest } from '../credential-request.js';
import type { TokenStore } from '../../tokens/token-store.js';
import { once } from '../memo.js';
import type { Authentication } from '../authentication.js';
import { principalFromBearerValue } from '../token-principal.js';

/**
 * RFC 6750 §2.2: a body carries a token only when it is a form (`application/x-www-form-urlencoded`,
 * single-part) sent with a method whose body has a meaning. Koa's body parser reads the bodies of
 * exactly these methods; naming them here keeps a GET's body out even if the parser's list grows.
 */
const methodsWithBody: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);
const form = 'application/x-www-form-urlencoded';

/**
 * The `access_token` field of a form body, or undefined. Any other body's `access_token` (JSON, say)
 * is data, as in Usergrid, and authenticates nothing. The field is looked for first, so a request
 * without one costs no media-type parsing.
 */
function accessTokenInForm(ctx: CredentialRequest): unknown {
  const body = ctx.request.body;
  if (body === null || typeof body !== 'object' || !Object.hasOwn(body, 'access_token')) return undefined;
  if (!methodsWithBody.has(ctx.method) || !ctx.request.is(form)) return undefined;
  return (body as Record<string, unknown>).access_token;
}

/** `access_token` in the query string (Usergrid), or in a form body (RFC 6750 §2.2); one of the two, as a single value. */
function accessTokenFrom(ctx: CredentialRequest): string | undefined {
  const fromQuery = ctx.query.access_token;
  const fromForm = accessTokenInForm(ctx);
  if (fromQuery !== undefined && fromForm !== undefined) throw new InvalidRequest('Send the access token by one mechanism only');
  const value = fromQuery ?? fromForm;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw new InvalidRequest('access_token must be a single non-empty value');
  return value;
}

export function accessToken(deps: { tokens: TokenStore }) {
  return (_c: unknown, ctx: CredentialRequest): Promise<Authentication | false> =>
    once(ctx, 'access_token', async () => {
      const value = accessTokenFrom(ctx);
      if (value === undefined) return false;
      return { principal: await principalFromBearerValue(deps.tokens, value, 'accessToken'), presented: { scheme: 'accessToken', token: value } };
    });
}
