import { namesBasic, readBasic } from '../auth/basic-credentials.js';
import type { OAuthClientRecord } from '../db/repositories/oauth-clients.js';
import type { Deps } from '../deps.js';
import { InvalidClient, InvalidRequest } from '../errors.js';
import { constantTimeEqual } from '../secrets/constant-time.js';
import { sha256 } from '../secrets/digest.js';
import { isPublicClient } from './clients.js';

/*
 * OAuth's endpoint client authentication (token, revocation, introspection) is a named exception
 * to "every credential is a security scheme of the spec, resolved by the security step": RFC 6749
 * §2.3.1 lets a client send its secret by HTTP Basic (`client_secret_basic`) or as fields of the
 * form body beside the request's own (`client_secret_post`), and a public client only its
 * `client_id` in the body (§3.2.1). OpenAPI has no scheme for fields of a form body, and the spec's
 * `basicAuth` is a Usergrid client (an organization or application), checked against other records
 * with other errors. So these operations declare `security: []`, and call `presentedOAuthClient`
 * and `authenticateOAuthClient` first, as their own client-authentication step.
 */

/** Where the Authorization header comes from: the request (the one reader of it for these endpoints is here). */
export interface RequestHeaders {
  get(field: string): string;
}

/** The client as the request presents it: an id, and a secret unless it is a public client. */
export interface PresentedClient {
  clientId: string;
  secret?: string;
  /** Sent by HTTP Basic, so a failure answers with a Basic challenge (RFC 6749 §5.2). */
  basic: boolean;
}

/**
 * Finds the client credentials of a token, revocation or introspection request (RFC 6749 §2.3.1):
 * HTTP Basic (`client_secret_basic`), or `client_id` and `client_secret` in the body
 * (`client_secret_post`), or a lone `client_id` (public clients). Never two methods at once (§2.3);
 * a secret in the query string never gets this far (the spec declares no such query parameter).
 */
export function presentedOAuthClient(request: RequestHeaders, params: { client_id?: string; client_secret?: string }): PresentedClient {
  const authorization = request.get('authorization');
  if (authorization) {
    if (!namesBasic(authorization)) throw new InvalidClient('Authenticate the client with HTTP Basic, or with client_id and client_secret in the body', { basic: true });
    if (params.client_secret !== undefined) throw new InvalidRequest('Send the client credentials by one method only: HTTP Basic or the body, not both');
    const basic = readBasic(authorization);
    if (params.client_id !== undefined && params.client_id !== basic.clientId) throw new InvalidRequest('client_id in the body differs from the one in HTTP Basic');
    // `id:` is a public client naming itself (see `readBasic`).
    return { clientId: basic.clientId, ...(basic.clientSecret !== '' && { secret: basic.clientSecret }), basic: true };
  }
  if (params.client_id === undefined) throw new InvalidClient('Client authentication is required: HTTP Basic, or client_id and client_secret in the body', { basic: true });
  return { clientId: params.client_id, ...(params.client_secret !== undefined && { secret: params.client_secret }), basic: false };
}

/**
 * Authenticates the presented OAuth client (a Usergrid client is `authenticateUsergridClient`'s):
 * a confidential client by its secret (compared in constant time, under brute-force protection per
 * source: its secret is 256 random bits, so it is never locked out; every failure recorded), a
 * public client by its id alone.
 * A confidential client without its secret is refused even when it proves PKCE (RFC 6749 §3.2.1;
 * a code_verifier is not a client secret).
 */
export async function authenticateOAuthClient(
  deps: Pick<Deps, 'tenants' | 'bruteForceGuard'>,
  presented: PresentedClient,
  ip: string,
): Promise<OAuthClientRecord> {
  const refuse = (why: string): never => {
    throw new InvalidClient(why, { basic: true });
  };
  // Cached (`TenantCache`): a deletion through this instance applies to the very next request.
  const client = await deps.tenants.oauthClient(presented.clientId);
  if (presented.secret === undefined) {
    // One answer for an unknown id and a confidential client without its secret, so that this
    // endpoint tells no client ids apart (as the authorize error page does not).
    if (!client || !isPublicClient(client)) return refuse('Unable to authenticate the client: unknown client, or a client that must send its secret');
    return client;
  }
  const secret = presented.secret;
  const attempt = {
    kind: 'client-secret', login: presented.clientId, realm: 'oauth-clients', ip, organizationId: client?.organizationId ?? null,
    applicationId: client?.applicationId ?? null, ...(client && { account: { key: `oauth-client:${client.clientId}`, name: client.clientId } }),
  } as const;
  return deps.bruteForceGuard.clientSecret(attempt, () => {
    // Hashed even for an unknown client, so the answer takes the same time.
    const candidate = sha256(secret);
    if (!client || client.clientSecretHash === null || !constantTimeEqual(candidate, client.clientSecretHash)) {
      return refuse('Unable to authenticate the client: unknown client or wrong secret');
    }
    return client;
  });
}
