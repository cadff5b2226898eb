import type { OAuthClientRecord } from '../db/repositories/oauth-clients.js';
import type { Deps } from '../deps.js';
import { checkTokenTypeHint } from './revocation.js';

export interface IntrospectionResponse {
  active: boolean;
  scope?: string;
  client_id?: string;
  username?: string;
  token_type?: 'bearer';
  exp?: number;
  iat?: number;
  sub?: string;
  aud?: string;
  iss?: string;
}

const inactive: IntrospectionResponse = { active: false };

/**
 * RFC 7662 §2.2: what an active access or refresh token of the calling client stands for. Anything
 * else (unknown, expired, revoked, of another kind, or another client's) is `{"active": false}`
 * and nothing more, so the answer tells a caller nothing about tokens that are not its own.
 * `sub` is the user's uuid, or `client:<client_id>` for client credentials (RFC 9700 §2.6).
 */
export async function introspectOAuthToken(
  deps: Pick<Deps, 'tokens' | 'repositories' | 'tenants'>,
  client: OAuthClientRecord,
  value: string,
  hint: string | undefined,
  issuer: string,
): Promise<IntrospectionResponse> {
  checkTokenTypeHint(hint);
  const found = await deps.tokens.lookup(value);
  if (found.status !== 'active') return inactive;
  const { token, expiresAt } = found;
  if ((token.kind !== 'oauth_access' && token.kind !== 'oauth_refresh') || token.clientId !== client.clientId) return inactive;
  const application = await deps.tenants.applicationById(client.applicationId);
  const user = token.subjectKind === 'user' && token.subjectId !== null ? await deps.repositories.appUsers.findById(token.subjectId) : undefined;
  if (token.subjectKind === 'user' && !user) return inactive;
  return {
    active: true,
    scope: token.scopes.join(' '),
    client_id: token.clientId,
    ...(user ? { username: user.username, sub: user.uuid } : { sub: `client:${client.clientId}` }),
    ...(token.kind === 'oauth_access' && { token_type: 'bearer' as const }),
    ...(expiresAt !== null && { exp: Math.floor(expiresAt / 1000) }),
    iat: Math.floor(token.createdAt / 1000),
    ...(application && { aud: application.uuid }),
    iss: issuer,
  };
}
