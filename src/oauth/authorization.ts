import type { operations } from '../../generated/openapi.js';
import type { OAuthClientRecord } from '../db/repositories/oauth-clients.js';
import type { Repositories } from '../deps.js';
import { ApiError, InvalidRequest } from '../errors.js';
import { isPublicClient } from './clients.js';
import { isValidS256Challenge } from './pkce.js';
import { matchRedirectUri } from './redirect-uris.js';
import { defaultScopes, parseScope, type Scope } from './scopes.js';

/** The parameters of `GET /oauth/authorize` (others are ignored, RFC 6749 §3.1), as the spec declares them. */
export type AuthorizationQuery = NonNullable<operations['oauthAuthorize']['parameters']['query']>;

/**
 * The client and the URI its answer goes to. Until both are known good, nothing may be sent to
 * the URI in the request (RFC 6749 §4.1.2.1, RFC 9700 §4.11: no open redirector), so every failure
 * here is shown to the user as a page. The page names nothing the request chose, and says the same
 * for an unknown client, an unregistered URI and a missing one, so that probing it tells an
 * attacker neither which client ids exist nor what they registered.
 */
export async function resolveClientAndRedirect(
  repositories: Pick<Repositories, 'oauthClients'>,
  query: AuthorizationQuery,
): Promise<{ client: OAuthClientRecord; redirectUri: string }> {
  if (!query.client_id) throw new InvalidRequest('The request names no client (client_id is missing)');
  const client = await repositories.oauthClients.findByClientId(query.client_id);
  const redirectUri = client && matchRedirectUri(client.redirectUris, query.redirect_uri || undefined);
  if (!client || !redirectUri) {
    throw new InvalidRequest(
      'The request does not name a registered client with one of its registered redirect URIs (redirect_uri is required when a client registered several)',
    );
  }
  return { client, redirectUri };
}

/** An error the client hears about at its redirect URI (RFC 6749 §4.1.2.1). */
export class AuthorizationError extends ApiError {
  constructor(code: 'invalid_request' | 'unauthorized_client' | 'unsupported_response_type' | 'invalid_scope' | 'access_denied', description: string) {
    super(400, code, description);
  }
}

export interface CheckedAuthorization {
  scopes: Scope[];
  codeChallenge?: string;
}

/** The rest of the request, once the client and its redirect URI are trusted. */
export function checkAuthorizationRequest(client: OAuthClientRecord, query: AuthorizationQuery): CheckedAuthorization {
  if (!query.response_type) throw new AuthorizationError('invalid_request', 'response_type is required');
  if (query.response_type !== 'code') throw new AuthorizationError('unsupported_response_type', 'Only response_type=code is supported');
  if (!client.grantTypes.includes('authorization_code')) throw new AuthorizationError('unauthorized_client', 'This client may not use the authorization code grant');
  let scopes: Scope[];
  try {
    scopes = parseScope(query.scope, defaultScopes);
  } catch (error) {
    throw new AuthorizationError('invalid_scope', (error as ApiError).description);
  }
  const challenge = query.code_challenge || undefined;
  const method = query.code_challenge_method || undefined;
  // RFC 7636 §4.3 makes `plain` the default method; we never fall back to it silently.
  if (method !== undefined && method !== 'S256') throw new AuthorizationError('invalid_request', 'code_challenge_method must be S256 (plain is not supported)');
  if (challenge !== undefined && method === undefined) throw new AuthorizationError('invalid_request', 'code_challenge_method is required and must be S256');
  if (challenge === undefined && method !== undefined) throw new AuthorizationError('invalid_request', 'code_challenge is required with code_challenge_method');
  if (challenge !== undefined && !isValidS256Challenge(challenge)) {
    throw new AuthorizationError('invalid_request', 'code_challenge must be 43 characters of base64url (BASE64URL(SHA256(code_verifier)))');
  }
  // RFC 9700 §2.1.1: public clients must use PKCE; confidential clients may, and are then held to it.
  if (challenge === undefined && isPublicClient(client)) throw new AuthorizationError('invalid_request', 'code challenge required: public clients must use PKCE (S256)');
  return { scopes, ...(challenge !== undefined && { codeChallenge: challenge }) };
}

/**
 * The URI an authorization response is sent to: the registered URI, its own query kept as it is
 * (§3.1.2), with the answer, `state` exactly as received (§4.1.2) and `iss` (RFC 9207).
 */
export function authorizationResponseUri(redirectUri: string, answer: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(answer)) if (value !== undefined) params.append(name, value);
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${params.toString()}`;
}
