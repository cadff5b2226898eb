import type { Deps } from '../../deps.js';
import { authenticateUsergridClient } from '../usergrid-clients.js';
import type { CredentialRequest } from '../credential-request.js';
import type { Authentication } from '../authentication.js';
import { basicCredentials, MalformedBasicCredentials } from '../basic-credentials.js';
import { once } from '../memo.js';

/**
 * `Authorization: Basic`: an organization's or application's client id and secret (RFC 6749
 * §2.3.1), accepted where the spec declares it (the token endpoints). A wrong pair is 401
 * `invalid_client` with a Basic challenge, and counts towards the client id's brute-force limit.
 */
export function basicAuth(deps: Pick<Deps, 'tenants' | 'bruteForceGuard'>) {
  return (_c: unknown, ctx: CredentialRequest): Promise<Authentication | false> =>
    once(ctx, 'authorization:basic', async () => {
      const pair = basicCredentials(ctx.get('authorization'));
      if (pair === undefined) return false;
      // No public clients here: an organization's or application's client always has a secret.
      if (pair.clientSecret === '') throw new MalformedBasicCredentials();
      const principal = await authenticateUsergridClient(deps, pair.clientId, pair.clientSecret, 'basicAuth', ctx.ip);
      return { principal, presented: { scheme: 'basicAuth', clientId: pair.clientId } };
    });
}
