import type { Deps } from '../deps.js';
import { InvalidClient } from '../errors.js';
import { constantTimeEqual } from '../secrets/constant-time.js';
import { sha256 } from '../secrets/digest.js';
import type { Principal } from './principal.js';

/** The organization or application a client id names, and the principal it stands for once its secret is proven. */
async function ownerOf(
  tenants: Deps['tenants'],
  clientId: string,
  scheme: 'clientCredentials' | 'basicAuth',
): Promise<{ clientSecretHash: string; principal: Principal; organizationId: number; applicationId: number | null } | undefined> {
  if (clientId.startsWith('b3U6')) {
    const organization = await tenants.organizationByClientId(clientId);
    return organization && {
      clientSecretHash: organization.clientSecretHash, organizationId: organization.id, applicationId: null,
      principal: { kind: 'orgClient', organizationId: organization.id, ceiling: 'write', credential: { scheme, secretHash: organization.clientSecretHash } },
    };
  }
  if (clientId.startsWith('YXA6')) {
    const application = await tenants.applicationByClientId(clientId);
    return application && {
      clientSecretHash: application.clientSecretHash, organizationId: application.organizationId, applicationId: application.id,
      principal: {
        kind: 'appClient', organizationId: application.organizationId, applicationId: application.id, ceiling: 'write',
        credential: { scheme, secretHash: application.clientSecretHash },
      },
    };
  }
  return undefined;
}

/**
 * Authenticates a Usergrid client: the principal an organization's or application's client id and
 * secret stand for, under brute-force protection (OAuth clients are `authenticateOAuthClient`'s).
 * Every such check (query pair, HTTP Basic, token request body) goes through here. The secrets are 256 random bits, so the client is never locked out; a source
 * that keeps guessing at one client id is slowed, then refused with 429, whichever way it sends
 * them. A success writes nothing; a failure is counted in the shared counters and in the audit log.
 */
export async function authenticateUsergridClient(
  deps: Pick<Deps, 'tenants' | 'bruteForceGuard'>,
  clientId: string,
  clientSecret: string,
  scheme: 'clientCredentials' | 'basicAuth',
  ip: string,
): Promise<Principal> {
  // Cached (`TenantCache`): a rotated secret applies to the very next request on this instance.
  const owner = await ownerOf(deps.tenants, clientId, scheme);
  const attempt = {
    kind: 'client-secret', login: clientId, realm: 'clients', ip, organizationId: owner?.organizationId ?? null, applicationId: owner?.applicationId ?? null,
    ...(owner && { account: { key: `client:${clientId}`, name: clientId } }),
  } as const;
  return deps.bruteForceGuard.clientSecret(attempt, () => {
    // Hashed even for an unknown client id, so the answer takes the same time.
    const candidate = sha256(clientSecret);
    if (!owner || !constantTimeEqual(candidate, owner.clientSecretHash)) {
      throw new InvalidClient('Unable to authenticate: the client id and secret do not match', { basic: scheme === 'basicAuth' });
    }
    return owner.principal;
  });
}
