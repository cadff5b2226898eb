import type { PrincipalKind } from '../auth/principal.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { Deps } from '../deps.js';
import { IllegalArgument } from '../errors.js';
import type { SubjectKind } from '../tokens/fields.js';
import type { TokenRecord } from '../tokens/kinds.js';
import type { IssuedToken } from '../tokens/token-store.js';

/**
 * Where no maximum applies (an application whose `accesstokenttl` is 0), a requested `ttl` may
 * still not reach past what a timestamp can hold: a hundred years.
 */
const longestTtlMs = 100 * 365 * 24 * 3600 * 1000;

/**
 * Usergrid's TTL rule (reference §3): `ttl` is in milliseconds; absent or 0 means the maximum;
 * above the maximum is an error (we also refuse negatives and non-integers, which Usergrid does not).
 * A maximum of `null` means the token never expires.
 */
export function resolveTtl(requested: number | undefined, maximum: number | null): number | null {
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 0)) {
    throw new IllegalArgument('ttl must be a whole number of milliseconds >= 0');
  }
  if (requested === undefined || requested === 0) return maximum;
  const limit = maximum ?? longestTtlMs;
  if (requested > limit) {
    throw new IllegalArgument(`Your token age cannot be more than the maximum age of ${limit} milliseconds`);
  }
  return requested;
}

/**
 * The longest life of an application user's token: the application's `accesstokenttl` when set
 * (`0`: never expire, `null` for `resolveTtl`), else the server's default. Admin and client tokens
 * always get the server's default (reference §3: the per-application setting is for users only).
 */
export function userTokenMaximum(application: Pick<ApplicationRecord, 'accessTokenTtlMs'>, serverDefaultMs: number): number | null {
  if (application.accessTokenTtlMs === null) return serverDefaultMs;
  return application.accessTokenTtlMs === 0 ? null : application.accessTokenTtlMs;
}

export interface AccessTokenGrant {
  principalKind: PrincipalKind;
  subjectKind: SubjectKind;
  subjectId: number | null;
  organizationId: number | null;
  applicationId: number | null;
  ttlMs: number | null;
  /** The client id a client token was issued to, so it can be found again. */
  clientId?: string;
  /** The family it dies with: for a token an API token minted, that API token's (`mintedFamilyOf`). */
  familyId?: string;
}

/** The family of the user tokens an API token mints: revoked with it (a leaked API token must not outlive its revocation). */
export const mintedFamilyOf = (apiTokenId: number): string => `minted-by-api-token:${apiTokenId}`;

/** Issues an access token; the value is returned once and only its hash is kept. */
export function issueAccessToken(deps: Pick<Deps, 'tokens'>, grant: AccessTokenGrant): Promise<IssuedToken<'access'>> {
  const { ttlMs, ...fields } = grant;
  return deps.tokens.issue('access', { ...fields, lifetimeMs: ttlMs });
}

/** `expires_in` is the whole lifetime in seconds (Usergrid computes (expires − created) / 1000). */
export function expiresInSeconds(token: TokenRecord): number {
  return token.expiresAt === null ? 0 : Math.round((token.expiresAt - token.createdAt) / 1000);
}
