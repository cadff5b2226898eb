import type { TokenRecord } from '../db/repositories/tokens.js';

/**
 * Every credential, whatever scheme carried it, becomes one of these. What a principal may do is
 * decided in one place: `auth/authorize.ts`.
 */
export type PrincipalKind =
  | 'superuser'
  | 'orgAdmin'
  | 'orgClient'
  | 'appClient'
  | 'appUser'
  | 'appSession'
  | 'apiToken'
  | 'oauthClient'
  | 'guest';

/** `read` credentials may only call read operations: a QuickBlox application session, a read API token, OAuth without `write`. */
export type Ceiling = 'read' | 'write';

/** How the credential reached us; `token` is the stored token, for revocation, last use and audit. */
export interface CredentialInfo {
  scheme: 'QBToken' | 'bearerAuth' | 'accessToken' | 'clientCredentials' | 'basicAuth' | 'none';
  tokenId?: number;
  token?: TokenRecord;
  /** When the token stops working, if it does (for `QB-Token-ExpirationDate`). */
  expiresAt?: number | null;
  /**
   * The SHA-256 of the organization's or application's client secret this request proved (never
   * the secret), so that what is issued on its authority can be checked against a rotation.
   */
  secretHash?: string;
}

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
