import { randomBytes } from 'node:crypto';
import { guardedAttempt } from '../auth/attempts.js';
import type { Deps, Repositories } from '../deps.js';
import { InvalidClient } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import { constantTimeEqual } from '../secrets/constant-time.js';
import { randomSecret, sha256 } from '../secrets/random.js';

/**
 * Client ids keep Usergrid's shape: `b3U6` (base64 "ou:") for an organization, `YXA6` (base64 "ap:")
 * for an application, then 16 random bytes. Apps that sniff the prefix keep working.
 */
export function newClientId(owner: 'organization' | 'application'): string {
  return (owner === 'organization' ? 'b3U6' : 'YXA6') + randomBytes(16).toString('base64url');
}

export function newClientSecret(): { secret: string; hash: string } {
  const secret = randomSecret('tsr_cs_');
  return { secret, hash: sha256(secret) };
}

/** The principal an organization's or application's client id and secret stand for. */
export async function authenticateClient(
  repositories: Pick<Repositories, 'organizations' | 'applications'>,
  clientId: string,
  clientSecret: string,
  scheme: 'clientCredentials' | 'basicAuth',
): Promise<Principal> {
  const candidate = sha256(clientSecret);
  if (clientId.startsWith('b3U6')) {
    const organization = await repositories.organizations.findByClientId(clientId);
    if (organization && constantTimeEqual(candidate, organization.clientSecretHash)) {
      return { kind: 'orgClient', organizationId: organization.id, ceiling: 'write', credential: { scheme } };
    }
  } else if (clientId.startsWith('YXA6')) {
    const application = await repositories.applications.findByClientId(clientId);
    if (application && constantTimeEqual(candidate, application.clientSecretHash)) {
      return {
        kind: 'appClient', organizationId: application.organizationId, applicationId: application.id, ceiling: 'write', credential: { scheme },
      };
    }
  }
  throw new InvalidClient('Unable to authenticate: the client id and secret do not match', { basic: scheme === 'basicAuth' });
}

/**
 * `authenticateClient` under brute-force protection: every client-secret check (query pair, HTTP
 * Basic, token request body) goes through here, so guesses at one client id are slowed and then
 * refused with 429 whichever way they arrive. A success writes nothing; a failure is counted in
 * memory and recorded as an audit event (the one write, and only for a wrong secret).
 */
export function checkClientSecret(
  deps: Pick<Deps, 'repositories' | 'throttle' | 'clock'>,
  clientId: string,
  clientSecret: string,
  scheme: 'clientCredentials' | 'basicAuth',
  ip: string,
): Promise<Principal> {
  return guardedAttempt(
    { throttle: deps.throttle, auditEvents: deps.repositories.auditEvents, clock: deps.clock },
    { kind: 'client-secret', subject: clientId, ip },
    () => authenticateClient(deps.repositories, clientId, clientSecret, scheme),
  );
}

/**
 * The client whose secret stands behind a principal, if any: the organization's or application's
 * client itself when it sent its secret, or the client a token of the principal's was obtained
 * with. A credential minted on such a principal's authority records that client id, so rotating
 * the secret revokes it too: everything obtained with a secret dies with it.
 */
export async function clientIdBehind(repositories: Pick<Repositories, 'organizations' | 'applications'>, principal: Principal): Promise<string | null> {
  const { scheme, token } = principal.credential;
  if (scheme === 'clientCredentials' || scheme === 'basicAuth') {
    if (principal.kind === 'orgClient' && principal.organizationId !== undefined) {
      return (await repositories.organizations.findById(principal.organizationId))?.clientId ?? null;
    }
    if (principal.kind === 'appClient' && principal.applicationId !== undefined) {
      return (await repositories.applications.findById(principal.applicationId))?.clientId ?? null;
    }
    return null;
  }
  // Only organization and application client ids: an OAuth client's tokens go with that client.
  const clientId = token?.clientId ?? null;
  return clientId !== null && (clientId.startsWith('b3U6') || clientId.startsWith('YXA6')) ? clientId : null;
}
