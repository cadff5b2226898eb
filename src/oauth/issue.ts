import type { OAuthClientRecord } from '../db/repositories/oauth-clients.js';
import type { TokenRecord, TokensRepository } from '../db/repositories/tokens.js';
import type { Deps } from '../deps.js';
import { randomSecret } from '../secrets/random.js';
import { ceilingOf } from './scopes.js';

/** Prefixes, so secret scanners and people can tell OAuth values apart from other credentials. */
export const oauthPrefixes = {
  accessToken: 'tsr_oat_',
  refreshToken: 'tsr_ort_',
  authorizationCode: 'tsr_oac_',
  interaction: 'tsr_oai_',
} as const;

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
    name: null,
    idleTtlMs: null,
  };
}

/** The subject a stored token was issued for. */
export function subjectOf(token: TokenRecord): TokenSubject {
  return token.subjectKind === 'user' && token.subjectId !== null ? { kind: 'user', userId: token.subjectId } : { kind: 'client' };
}

/**
 * Issues an access token (and a refresh token when asked) and returns the token response. `via`
 * is a transaction's token repository when the issue must land together with the use of a code or
 * a refresh token, or not at all.
 */
export async function issueTokens(
  deps: Pick<Deps, 'tokens' | 'clock' | 'config'>,
  issue: TokenIssue,
  via?: TokensRepository,
): Promise<{ response: TokenResponse; refreshToken?: TokenRecord }> {
  const now = deps.clock.now();
  const shared = { ...subjectFields(issue.client, issue.subject), familyId: issue.familyId };
  const accessValue = randomSecret(oauthPrefixes.accessToken);
  await deps.tokens.issue(
    accessValue,
    { ...shared, kind: 'oauth_access', ceiling: ceilingOf(issue.scopes), scopes: issue.scopes, metadata: {}, expiresAt: now + deps.config.oauthAccessTokenTtlS * 1000 },
    via,
  );
  const response: TokenResponse = {
    access_token: accessValue,
    token_type: 'bearer',
    expires_in: deps.config.oauthAccessTokenTtlS,
    scope: issue.scopes.join(' '),
  };
  if (!issue.refresh) return { response };
  const refreshValue = randomSecret(oauthPrefixes.refreshToken);
  const refreshToken = await deps.tokens.issue(
    refreshValue,
    {
      ...shared,
      kind: 'oauth_refresh',
      ceiling: ceilingOf(issue.refresh.scopes),
      scopes: issue.refresh.scopes,
      metadata: { generation: issue.refresh.generation },
      expiresAt: now + deps.config.oauthRefreshTokenTtlMs,
    },
    via,
  );
  // Keys in the order of the seed's example response.
  return {
    response: { access_token: response.access_token, token_type: 'bearer', expires_in: response.expires_in, refresh_token: refreshValue, scope: response.scope },
    refreshToken,
  };
}
