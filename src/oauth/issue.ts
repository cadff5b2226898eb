import type { OAuthClientRecord } from '../db/repositories/oauth-clients.js';
import type { Deps } from '../deps.js';
import type { TokenRecord } from '../tokens/kinds.js';
import type { TransactionTokens } from '../tokens/token-store.js';
import { ceilingOf } from './scopes.js';

/** RFC 6749 §5.1, exactly as the seed's clients expect it (`refresh_token` only when one is issued). */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

/** Whom a token speaks for: an application user (user grants) or the client itself (client credentials). */
export type TokenSubject = { kind: 'user'; userId: number } | { kind: 'client' };

export interface TokenIssue {
  client: OAuthClientRecord;
  subject: TokenSubject;
  /** The access token's scopes. */
  scopes: string[];
  /** The grant every token of one authorization shares: a replayed code or refresh token revokes it whole. */
  familyId: string;
  /** Issue a refresh token too, with these scopes (RFC 6749 §6: the scope of the grant, whatever the access token got). */
  refresh?: { scopes: string[]; generation: number };
}

/** The fields every token of a subject shares. */
export function subjectFields(client: OAuthClientRecord, subject: TokenSubject) {
  return {
    principalKind: subject.kind === 'user' ? ('appUser' as const) : ('oauthClient' as const),
    organizationId: client.organizationId,
    applicationId: client.applicationId,
    subjectKind: subject.kind,
    subjectId: subject.kind === 'user' ? subject.userId : client.id,
    clientId: client.clientId,
  };
}

/** The subject a stored token was issued for. */
export function subjectOf(token: TokenRecord): TokenSubject {
  return token.subjectKind === 'user' && token.subjectId !== null ? { kind: 'user', userId: token.subjectId } : { kind: 'client' };
}

/**
 * Issues an access token (and a refresh token when asked) and returns the token response. `tokens`
 * is a transaction's (`Deps.transaction`) when the issue must land together with the use of a code
 * or a refresh token, or not at all.
 */
export async function issueTokens(
  deps: { tokens: Pick<TransactionTokens, 'issue'>; config: Pick<Deps['config'], 'oauthAccessTokenTtlS' | 'oauthRefreshTokenTtlMs'> },
  issue: TokenIssue,
): Promise<{ response: TokenResponse; refreshToken?: TokenRecord<'oauth_refresh'> }> {
  const shared = { ...subjectFields(issue.client, issue.subject), familyId: issue.familyId };
  const access = await deps.tokens.issue('oauth_access', {
    ...shared,
    ceiling: ceilingOf(issue.scopes),
    scopes: issue.scopes,
    lifetimeMs: deps.config.oauthAccessTokenTtlS * 1000,
  });
  const response: TokenResponse = {
    access_token: access.value,
    token_type: 'bearer',
    expires_in: deps.config.oauthAccessTokenTtlS,
    scope: issue.scopes.join(' '),
  };
  if (!issue.refresh) return { response };
  const refresh = await deps.tokens.issue('oauth_refresh', {
    ...shared,
    ceiling: ceilingOf(issue.refresh.scopes),
    scopes: issue.refresh.scopes,
    metadata: { generation: issue.refresh.generation },
    lifetimeMs: deps.config.oauthRefreshTokenTtlMs,
  });
  // Keys in the order of the seed's example response.
  return {
    response: { access_token: response.access_token, token_type: 'bearer', expires_in: response.expires_in, refresh_token: refresh.value, scope: response.scope },
    refreshToken: refresh.token,
  };
}
