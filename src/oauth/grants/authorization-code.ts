import { randomUUID } from 'node:crypto';
import type { OAuthClientRecord } from '../../db/repositories/oauth-clients.js';
import type { Deps } from '../../deps.js';
import { InvalidGrant, InvalidRequest } from '../../errors.js';
import type { CodeBinding, TokenRecord } from '../../tokens/kinds.js';
import { issueTokens, subjectFields, type TokenResponse } from '../issue.js';
import { isValidCodeVerifier, verifyCodeVerifier } from '../pkce.js';
import { ceilingOf } from '../scopes.js';
import { required, type CompiledPermission, type TokenParams } from './grant.js';
import { recordOAuthClientAction } from '../../domain/audit-events.js';

export interface ApprovedAuthorization extends CodeBinding {
  client: OAuthClientRecord;
  userId: number;
  scopes: string[];
}

/**
 * Issues the code a user's approval sends to the client: opaque (RFC 7636 §4.4: the challenge
 * cannot be read from it), single use, short-lived (RFC 6749 §4.1.2: at most 10 minutes), and the
 * first member of the grant family its tokens will join.
 */
export async function issueAuthorizationCode(deps: Pick<Deps, 'tokens' | 'config'>, approved: ApprovedAuthorization): Promise<string> {
  const binding: CodeBinding = {
    redirectUri: approved.redirectUri,
    redirectUriSent: approved.redirectUriSent,
    ...(approved.codeChallenge !== undefined && { codeChallenge: approved.codeChallenge }),
  };
  const { value } = await deps.tokens.issue('authorization_code', {
    ...subjectFields(approved.client, { kind: 'user', userId: approved.userId }),
    ceiling: ceilingOf(approved.scopes),
    scopes: approved.scopes,
    familyId: randomUUID(),
    metadata: binding,
    lifetimeMs: deps.config.oauthCodeTtlMs,
  });
  return value;
}

/** Why a live code may not be redeemed by this request, if it may not. */
function bindingProblem(code: TokenRecord<'authorization_code'>, client: OAuthClientRecord, params: TokenParams): string | undefined {
  const binding = code.metadata;
  if (code.clientId !== client.clientId) return 'The authorization code was issued to another client';
  if (params.redirect_uri === undefined ? binding.redirectUriSent : params.redirect_uri !== binding.redirectUri) {
    return 'redirect_uri must be the one of the authorization request';
  }
  if (binding.codeChallenge === undefined) {
    // RFC 9700 §4.8: a verifier for a code issued without a challenge is a downgrade attempt.
    if (params.code_verifier !== undefined) return 'The authorization request had no code_challenge, so no code_verifier is expected';
    return undefined;
  }
  if (params.code_verifier === undefined) return 'code_verifier is required: the authorization request had a code_challenge';
  if (!verifyCodeVerifier(params.code_verifier, binding.codeChallenge)) return 'The code_verifier does not match the code_challenge';
  return undefined;
}

type Outcome = { issued: TokenResponse } | { refused: string } | { replayed: string | null };

/**
 * RFC 6749 §4.1.3. The code is used up before anything else is checked, so a failed attempt (a
 * wrong verifier, another client) burns it; a code seen again is a replay, which is refused and
 * revokes every token issued from it (§4.1.2). Using the code and issuing the tokens are one
 * transaction, so a replay racing the first exchange cannot slip in between.
 */
export const authorizationCode: CompiledPermission = async ({ deps, client, params, ip }) => {
  const value = required(params, 'code');
  if (params.code_verifier !== undefined && !isValidCodeVerifier(params.code_verifier)) {
    throw new InvalidRequest('code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, -, ., _ and ~');
  }
  const outcome = await deps.transaction(async ({ tokens }): Promise<Outcome> => {
    const code = await tokens.findByValue(value);
    if (!code || code.kind !== 'authorization_code') return { refused: 'The authorization code is not valid' };
    if (tokens.liveness(code) === 'revoked' || !(await tokens.consume(code))) return { replayed: code.familyId };
    if (tokens.liveness(code) === 'expired') return { refused: 'The authorization code has expired' };
    const problem = bindingProblem(code, client, params);
    if (problem) return { refused: problem };
    const refresh = client.grantTypes.includes('refresh_token') ? { scopes: code.scopes, generation: 0 } : undefined;
    const { response } = await issueTokens(
      { tokens, config: deps.config },
      { client, subject: { kind: 'user', userId: code.subjectId! }, scopes: code.scopes, familyId: code.familyId!, ...(refresh && { refresh }) },
    );
    return { issued: response };
  });
  if ('replayed' in outcome) {
    if (outcome.replayed !== null) {
      const revoked = await deps.tokens.revokeWhere({ familyId: outcome.replayed });
      // Only when tokens died: replaying a dead grant again (a public client needs no secret) adds no rows.
      if (revoked > 0) await recordOAuthClientAction(deps, client, ip, { kind: 'token-family.revoked', subject: client.clientId, details: { revoked, reason: 'authorization code replayed' } });
    }
    throw new InvalidGrant('The authorization code was already used; the tokens issued with it are revoked');
  }
  if ('refused' in outcome) throw new InvalidGrant(outcome.refused);
  return outcome.issued;
};
