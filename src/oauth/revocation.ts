import type { OAuthClientRecord } from '../db/repositories/oauth-clients.js';
import type { Deps } from '../deps.js';
import { UnauthorizedClient, UnsupportedTokenType } from '../errors.js';
import type { TokenRecord } from '../tokens/kinds.js';

export const tokenTypeHints = ['access_token', 'refresh_token'];

/** RFC 7009 §2.1 and RFC 7662 §2.1: an unknown hint is an error; a known one only orders the search, which covers every kind anyway. */
export function checkTokenTypeHint(hint: string | undefined): void {
  if (hint !== undefined && !tokenTypeHints.includes(hint)) throw new UnsupportedTokenType(`token_type_hint must be access_token or refresh_token, not ${hint}`);
}

/**
 * RFC 7009: revokes an access or refresh token the calling client was issued. A refresh token
 * takes its whole grant with it, the access tokens issued from it included (§2.1 SHOULD); an
 * access token goes alone. A token that is unknown, already revoked or of another kind is no
 * error (§2.2). Another client's live token is refused.
 */
export async function revokeOAuthToken(
  deps: Pick<Deps, 'tokens'>,
  client: OAuthClientRecord,
  value: string,
  hint: string | undefined,
): Promise<{ token: TokenRecord; revoked: number } | undefined> {
  checkTokenTypeHint(hint);
  const token = await deps.tokens.findByValue(value);
  if (!token || (token.kind !== 'oauth_access' && token.kind !== 'oauth_refresh')) return undefined;
  if (token.clientId !== client.clientId) {
    if (deps.tokens.liveness(token) === 'revoked') return undefined;
    throw new UnauthorizedClient('This token was not issued to this client');
  }
  // A refresh token already rotated away still names its grant: a client that signs out with a
  // stale one means to end the grant, as the token endpoint would on its reuse.
  if (token.kind === 'oauth_refresh' && token.familyId !== null) return { token, revoked: await deps.tokens.revokeWhere({ familyId: token.familyId }) };
  if (deps.tokens.liveness(token) === 'revoked') return undefined;
  await deps.tokens.revokeOne(token);
  return { token, revoked: 1 };
}
