import { InvalidRequest } from '../../errors.js';
import type { CredentialRequest } from '../credential-request.js';
import type { TokenStore } from '../../tokens/token-store.js';
import { once } from '../memo.js';
import type { Authentication } from '../authentication.js';
import { principalFromBearerValue } from '../token-principal.js';

/** `access_token` in the query string (Usergrid), or in a form-encoded POST body (RFC 6750 §2.2). */
function accessTokenFrom(ctx: CredentialRequest): string | undefined {
  const fromQuery = ctx.query.access_token;
  const body = ctx.request.body as Record<string, unknown> | undefined;
  const fromForm = ctx.request.is('application/x-www-form-urlencoded') ? body?.access_token : undefined;
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
