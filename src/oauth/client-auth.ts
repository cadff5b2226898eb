import { guardedClientSecret } from '../auth/attempts.js';
import type { OAuthClientRecord } from '../db/repositories/oauth-clients.js';
import type { Deps } from '../deps.js';
import { InvalidClient, InvalidRequest } from '../errors.js';
import { unstorable } from '../storable-text.js';
import { constantTimeEqual } from '../secrets/constant-time.js';
import { sha256 } from '../secrets/random.js';
import { isPublicClient } from './clients.js';

/** The client as the request presents it: an id, and a secret unless it is a public client. */
export interface PresentedClient {
  clientId: string;
  secret?: string;
  /** Sent by HTTP Basic, so a failure answers with a Basic challenge (RFC 6749 §5.2). */
  basic: boolean;
}

/** RFC 6749 Appendix B: the Basic user and password are form-urlencoded before base64. */
function formDecode(value: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidRequest('The client id or secret in the Authorization header is not valid form-urlencoding');
  }
  // Decoded here, after the door's check of the raw header: the same rule applies to what comes out.
  if (unstorable(decoded)) throw new InvalidRequest('The client id or secret in the Authorization header holds a NUL character or an unpaired surrogate');
  return decoded;
}

/** RFC 7617: `Basic <token68>` of `id:secret`. */
function fromBasic(header: string): { clientId: string; secret: string } {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new InvalidRequest('The Authorization header must be Basic base64(client_id:client_secret)');
  return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

/**
 * Finds the client credentials of a token, revocation or introspection request (RFC 6749 §2.3.1):
 * HTTP Basic (`client_secret_basic`), or `client_id` and `client_secret` in the body
 * (`client_secret_post`), or a lone `client_id` (public clients). Never two methods at once (§2.3);
 * a secret in the query string never gets this far (the spec declares no such query parameter).
 */
export function presentedClient(authorization: string, params: { client_id?: string; client_secret?: string }): PresentedClient {
  if (authorization) {
    if (!/^Basic\b/i.test(authorization.trim())) {
      throw new InvalidClient('Authenticate the client with HTTP Basic, or with client_id and client_secret in the body', { basic: true });
    }
    if (params.client_secret !== undefined) throw new InvalidRequest('Send the client credentials by one method only: HTTP Basic or the body, not both');
    const basic = fromBasic(authorization);
    if (params.client_id !== undefined && params.client_id !== basic.clientId) throw new InvalidRequest('client_id in the body differs from the one in HTTP Basic');
    return { clientId: basic.clientId, ...(basic.secret !== '' && { secret: basic.secret }), basic: true };
  }
  if (params.client_id === undefined) throw new InvalidClient('Client authentication is required: HTTP Basic, or client_id and client_secret in the body', { basic: true });
  return { clientId: params.client_id, ...(params.client_secret !== undefined && { secret: params.client_secret }), basic: false };
}

/**
 * Authenticates the presented client: a confidential client by its secret (compared in constant
 * time, under brute-force protection per source: its secret is 256 random bits, so it is never
 * locked out; every failure recorded), a public client by its id alone.
 * A confidential client without its secret is refused even when it proves PKCE (RFC 6749 §3.2.1;
 * a code_verifier is not a client secret).
 */
export async function authenticateClient(
  deps: Pick<Deps, 'repositories' | 'throttle' | 'clock'>,
  presented: PresentedClient,
  ip: string,
): Promise<OAuthClientRecord> {
  const refuse = (why: string): never => {
    throw new InvalidClient(why, { basic: true });
  };
  const client = await deps.repositories.oauthClients.findByClientId(presented.clientId);
  if (presented.secret === undefined) {
    if (!client) return refuse('Unknown client');
    if (!isPublicClient(client)) return refuse('This client must authenticate with its client secret');
    return client;
  }
  const secret = presented.secret;
  const attempt = {
    kind: 'client-secret', login: presented.clientId, realm: 'oauth-clients', ip, organizationId: client?.organizationId ?? null,
    applicationId: client?.applicationId ?? null, ...(client && { account: { key: `oauth-client:${client.clientId}`, name: client.clientId } }),
  } as const;
  return guardedClientSecret({ throttle: deps.throttle, auditEvents: deps.repositories.auditEvents, clock: deps.clock }, attempt, () => {
    // Hashed even for an unknown client, so the answer takes the same time.
    const candidate = sha256(secret);
    if (!client || client.clientSecretHash === null || !constantTimeEqual(candidate, client.clientSecretHash)) {
      return refuse('Unable to authenticate the client: unknown client or wrong secret');
    }
    return client;
  });
}
