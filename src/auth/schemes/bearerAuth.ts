import { bearerChallenge, InvalidRequest } from '../../errors.js';
import type { CredentialRequest } from '../credential-request.js';
import type { TokenStore } from '../../tokens/token-store.js';
import { once } from '../memo.js';
import type { Authentication } from '../authentication.js';
import { principalFromBearerValue } from '../token-principal.js';

/** RFC 6750 §2.1: `b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The bearer token in `Authorization`, or undefined when the header carries none (or another scheme). */
function bearerFromHeader(ctx: CredentialRequest): string | undefined {
  const header = ctx.get('authorization');
  const match = /^Bearer(?:\s+(.*))?$/i.exec(header.trim());
  if (!match) return undefined;
  const value = (match[1] ?? '').trim();
  if (!b64token.test(value)) {
    throw new InvalidRequest('The Authorization header must be "Bearer <token>"', {
      headers: { 'WWW-Authenticate': bearerChallenge('invalid_request', 'The Authorization header must be "Bearer <token>"') },
    });
  }
  return value;
}

/** `Authorization: Bearer <token>`: any access token the server issued. */
export function bearerAuth(deps: { tokens: TokenStore }) {
  return (_c: unknown, ctx: CredentialRequest): Promise<Authentication | false> =>
    once(ctx, 'authorization:bearer', async () => {
      const value = bearerFromHeader(ctx);
      if (value === undefined) return false;
      return { principal: await principalFromBearerValue(deps.tokens, value, 'bearerAuth'), presented: { scheme: 'bearerAuth', token: value } };
    });
}
