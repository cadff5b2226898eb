import type { Ceiling, PrincipalKind } from '../tokens/fields.js';
import type { TokenReference } from '../tokens/token-store.js';

// The kinds of principal and the ceilings are the token store's lists: a stored token names both.
export type { Ceiling, PrincipalKind };

/** How the credential reached us; `token` refers to the stored token, for its last use, revocation and audit. */
export interface CredentialInfo {
  scheme: 'QBToken' | 'bearerAuth' | 'accessToken' | 'clientCredentials' | 'basicAuth' | 'none';
  token?: TokenReference;
  /** When the token stops working, if it does (for `QB-Token-ExpirationDate`). */
  expiresAt?: number | null;
  /**
   * The SHA-256 of the organization's or application's client secret this request proved (never
   * the secret), so that what is issued on its authority can be checked against a rotation.
   */
  secretHash?: string;
}

/**
 * Every credential, whatever scheme carried it, becomes one of these. What a principal may do is
 * decided in one place: `auth/authorize.ts`.
 */
export interface Principal {
  kind: PrincipalKind;
  organizationId?: number;
  applicationId?: number;
  /** An admin user's id for `superuser`/`orgAdmin`, an application user's id for `appUser`. */
  userId?: number;
  ceiling: Ceiling;
  /** OAuth scopes, for OAuth tokens only. */
  scopes?: string[];
  credential: CredentialInfo;
}

export const guest: Principal = Object.freeze({ kind: 'guest', ceiling: 'write', credential: { scheme: 'none' } }) as Principal;
