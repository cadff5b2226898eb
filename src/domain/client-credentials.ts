import { randomBytes } from 'node:crypto';
import type { Deps, Repositories } from '../deps.js';
import { InvalidClient } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import type { TokenRecord } from '../tokens/kinds.js';
import { constantTimeEqual } from '../secrets/constant-time.js';
import { randomSecret } from '../secrets/random.js';
import { sha256 } from '../secrets/digest.js';

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

/** Whether the client secret (or the token obtained with it) a principal presented is still the current one. */
async function stillCurrent(deps: Pick<Deps, 'repositories' | 'tokens'>, principal: Principal): Promise<boolean> {
  const { repositories } = deps;
  const { secretHash, token } = principal.credential;
  if (secretHash !== undefined) {
    const owner =
      principal.kind === 'orgClient' && principal.organizationId !== undefined
        ? await repositories.organizations.findById(principal.organizationId)
        : principal.kind === 'appClient' && principal.applicationId !== undefined
          ? await repositories.applications.findById(principal.applicationId)
          : undefined;
    return owner !== undefined && constantTimeEqual(owner.clientSecretHash, secretHash);
  }
  if (token) {
    const stored = await deps.tokens.findById(token.id);
    return stored !== undefined && deps.tokens.liveness(stored) !== 'revoked';
  }
  return true;
}

/**
 * A credential issued on the authority of a client secret (or of a token obtained with it, or of
 * an API token) is
 * written first and checked against a rotation after: a rotation that ran between the check of the
 * secret and the write revoked every row it could see, but not this one, so this one revokes
 * itself. (Read after the write, the secret is either still current, and a later rotation will
 * see the row, or already rotated.)
 */
export async function keepIfSecretStillCurrent(
  deps: Pick<Deps, 'repositories' | 'tokens'>,
  principal: Principal,
  issued: TokenRecord,
): Promise<void> {
  if ((issued.clientId === null && issued.familyId === null) || (await stillCurrent(deps, principal))) return;
  await deps.tokens.revokeOne(issued);
  throw new InvalidClient('The client secret was rotated while this request was under way; authenticate again');
}
