import { ExpiredToken, InvalidToken } from '../errors.js';
import type { TokenKind, TokenRecord } from '../tokens/kinds.js';
import { TokenReference, type TokenStore } from '../tokens/token-store.js';
import type { CredentialInfo, Principal } from './principal.js';

/** The principal a stored token stands for. */
export function principalFromToken(token: TokenRecord, scheme: CredentialInfo['scheme'], expiresAt: number | null): Principal {
  const principal: Principal = {
    kind: token.principalKind,
    ceiling: token.ceiling,
    credential: { scheme, token: new TokenReference(token), expiresAt },
  };
  if (token.organizationId !== null) principal.organizationId = token.organizationId;
  if (token.applicationId !== null) principal.applicationId = token.applicationId;
  if ((token.subjectKind === 'admin' || token.subjectKind === 'user') && token.subjectId !== null) principal.userId = token.subjectId;
  if (token.kind === 'oauth_access') principal.scopes = token.scopes;
  return principal;
}

/** Tokens usable as bearer credentials (not refresh tokens, codes or QuickBlox sessions). */
const bearerKinds = new Set<TokenKind>(['access', 'api', 'oauth_access']);

/** Looks up a bearer token value; throws the 401 a bad one deserves. */
export async function principalFromBearerValue(tokens: TokenStore, value: string, scheme: CredentialInfo['scheme']): Promise<Principal> {
  const found = await tokens.lookup(value);
  if (found.status === 'unknown' || !bearerKinds.has(found.token.kind)) throw new InvalidToken();
  if (found.status === 'expired') throw new ExpiredToken();
  return principalFromToken(found.token, scheme, found.expiresAt);
}
