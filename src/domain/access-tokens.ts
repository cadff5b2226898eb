import type { PrincipalKind } from '../auth/principal.js';
import type { SubjectKind, TokenRecord } from '../db/repositories/tokens.js';
import type { Deps } from '../deps.js';
import { ApiError } from '../errors.js';
import { randomSecret } from '../secrets/random.js';

/** Prefix of Usergrid-style access tokens, so scanners and people can tell them apart. */
export const accessTokenPrefix = 'tsr_at_';

/**
 * Usergrid's TTL rule (reference §3): `ttl` is in milliseconds; absent or 0 means the maximum;
 * above the maximum is an error (we also refuse negatives and non-integers, which Usergrid does not).
 * A maximum of `null` means the token never expires.
 */
export function resolveTtl(requested: number | undefined, maximum: number | null): number | null {
  if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 0)) {
    throw new ApiError(400, 'illegal_argument', 'ttl must be a whole number of milliseconds >= 0');
  }
  if (requested === undefined || requested === 0) return maximum;
  if (maximum !== null && requested > maximum) {
    throw new ApiError(400, 'illegal_argument', `Your token age cannot be more than the maximum age of ${maximum} milliseconds`);
  }
  return requested;
}

export interface AccessTokenGrant {
  principalKind: PrincipalKind;
  subjectKind: SubjectKind;
  subjectId: number | null;
  organizationId: number | null;
  applicationId: number | null;
  ttlMs: number | null;
}

/** Issues an access token; the value is returned once and only its hash is kept. */
export async function issueAccessToken(deps: Pick<Deps, 'tokens' | 'clock'>, grant: AccessTokenGrant): Promise<{ value: string; token: TokenRecord }> {
  const value = randomSecret(accessTokenPrefix);
  const token = await deps.tokens.issue(value, {
    kind: 'access',
    principalKind: grant.principalKind,
    organizationId: grant.organizationId,
    applicationId: grant.applicationId,
    subjectKind: grant.subjectKind,
    subjectId: grant.subjectId,
    ceiling: 'write',
    scopes: [],
    clientId: null,
    name: null,
    familyId: null,
    metadata: {},
    expiresAt: grant.ttlMs === null ? null : deps.clock.now() + grant.ttlMs,
    idleTtlMs: null,
  });
  return { value, token };
}

/** `expires_in` is the whole lifetime in seconds (Usergrid computes (expires − created) / 1000). */
export function expiresInSeconds(token: TokenRecord): number {
  return token.expiresAt === null ? 0 : Math.round((token.expiresAt - token.createdAt) / 1000);
}
