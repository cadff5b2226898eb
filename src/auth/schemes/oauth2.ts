import type { CredentialRequest } from '../credential-request.js';
import type { TokenStore } from '../../tokens/token-store.js';
import type { Authentication } from '../authentication.js';
import { bearerAuth } from './bearerAuth.js';

/**
 * The `oauth2` scheme documents which scopes an operation needs; on the wire its tokens are bearer
 * tokens, so it resolves the same `Authorization` header as `bearerAuth` (one lookup, memoised).
 * Scopes are enforced by `auth/authorize.ts`, which also sees tokens sent by `access_token`.
 */
export function oauth2(deps: { tokens: TokenStore }) {
  const bearer = bearerAuth(deps);
  return (c: unknown, ctx: CredentialRequest): Promise<Authentication | false> => bearer(c, ctx);
}
