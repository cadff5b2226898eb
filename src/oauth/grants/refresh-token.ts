import { createHash } from 'node:crypto';
import type { Deps } from '../../deps.js';
import { InvalidGrant } from '../../errors.js';
import { SecretBox } from '../../secrets/secret-box.js';
import { sha256 } from '../../secrets/digest.js';
import type { Rotation, TokenRecord } from '../../tokens/kinds.js';
import type { TransactionTokens } from '../../tokens/token-store.js';
import { issueTokens, subjectOf, type TokenResponse } from '../issue.js';
import { parseScope, type Scope } from '../scopes.js';
import { required, type CompiledPermission } from './grant.js';
import { recordOAuthClientAction } from '../../domain/audit-events.js';

/**
 * A key derived from the refresh token itself: the database keeps only SHA-256 of the value, so
 * a copy of the database cannot open the sealed answers of recent rotations.
 */
function retryBox(refreshToken: string): SecretBox {
  return new SecretBox(createHash('sha256').update('tessera refresh retry\0').update(refreshToken).digest());
}

/** `reused`: a revoked refresh token presented again; `used` says whether it was revoked by its own use (a rotation) or with its grant (a revocation, a deactivation, a password change). */
type Outcome = { issued: TokenResponse } | { refused: string } | { reused: string | null; used: boolean };

/** A lost race for the same refresh token: the loser rolls back what it issued and looks again. */
class LostRace extends Error {}

/**
 * An identical request within the retry window, while the token that replaced this one is still
 * unused, is a client that lost the answer (a dropped connection, two tabs): it gets the same
 * answer. Anything else presenting a used refresh token is a replay.
 */
async function retryOrReplay(
  deps: Pick<Deps, 'clock' | 'config'>,
  tokens: TransactionTokens,
  used: TokenRecord<'oauth_refresh'>,
  value: string,
  requestHash: string,
): Promise<Outcome> {
  const { rotation } = used.metadata;
  if (rotation && rotation.requestHash === requestHash && deps.clock.now() - rotation.at <= deps.config.oauthRefreshRetryWindowMs) {
    // Still unused: not rotated away in its turn, nor revoked with its grant.
    const successor = await tokens.findById(rotation.successorId);
    if (successor && tokens.liveness(successor) !== 'revoked') return { issued: JSON.parse(retryBox(value).open(rotation.sealedResponse)) as TokenResponse };
  }
  return { reused: used.familyId, used: rotation !== undefined };
}

/**
 * RFC 6749 §6 with RFC 9700 §4.14.2: every refresh rotates the refresh token; the new one keeps
 * the grant's scope (§6), the access token may ask for less, never more. A refresh token used a
 * second time revokes its whole family, unless it is an identical retry within a few seconds.
 */
export const refreshToken: CompiledPermission = async ({ deps, client, params, ip }) => {
  const value = required(params, 'refresh_token');
  const requestHash = sha256(`${client.clientId}\n${params.scope ?? ''}`);
  const attempt = () =>
    deps.transaction(async ({ tokens }): Promise<Outcome> => {
      const presented = await tokens.findByValue(value);
      if (!presented || presented.kind !== 'oauth_refresh') return { refused: 'The refresh token is not valid' };
      if (presented.clientId !== client.clientId) return { refused: 'The refresh token was issued to another client' };
      const liveness = tokens.liveness(presented);
      if (liveness === 'revoked') return retryOrReplay(deps, tokens, presented, value, requestHash);
      if (liveness === 'expired') return { refused: 'The refresh token has expired' };
      const scopes = parseScope(params.scope, presented.scopes as Scope[], presented.scopes);
      const generation = presented.metadata.generation + 1;
      const { response, refreshToken: successor } = await issueTokens(
        { tokens, config: deps.config },
        { client, subject: subjectOf(presented), scopes, familyId: presented.familyId!, refresh: { scopes: presented.scopes, generation } },
      );
      const rotation: Rotation = { at: deps.clock.now(), successorId: successor!.id, requestHash, sealedResponse: retryBox(value).seal(JSON.stringify(response)) };
      if (!(await tokens.consume(presented, { ...presented.metadata, rotation }))) throw new LostRace();
      return { issued: response };
    });
  let outcome: Outcome;
  try {
    outcome = await attempt();
  } catch (error) {
    if (!(error instanceof LostRace)) throw error;
    outcome = await attempt();
  }
  if ('reused' in outcome) {
    // Revoked either way; only a token used before is a replay, the sign of a stolen token.
    if (outcome.reused !== null) {
      const revoked = await deps.tokens.revokeWhere({ familyId: outcome.reused });
      // Only when tokens died: replaying a dead grant again (a public client needs no secret) adds no rows.
      if (revoked > 0) {
        await recordOAuthClientAction(deps, client, ip, { kind: 'token-family.revoked', subject: client.clientId, details: { revoked, reason: outcome.used ? 'refresh token reused' : 'refresh token revoked' } });
      }
    }
    throw new InvalidGrant(outcome.used ? 'The refresh token was already used; every token of this grant is revoked' : 'The refresh token was revoked');
  }
  if ('refused' in outcome) throw new InvalidGrant(outcome.refused);
  return outcome.issued;
};
