import type { Deps } from '../../deps.js';
import { authenticateUsergridClient } from '../usergrid-clients.js';
import { InvalidRequest } from '../../errors.js';
import type { CredentialRequest } from '../credential-request.js';
import type { Authentication } from '../authentication.js';
import { once } from '../memo.js';

/**
 * `?client_id=…&client_secret=…` authenticates as the organization or application that owns the
 * pair (Usergrid). The spec declares them as two schemes in one requirement; both resolve here once.
 * A lone `client_id` is not a credential (it is public), so it counts as absent. Security handlers
 * run on every request and must not write; the one exception is a wrong secret, which is counted
 * and audited (`authenticateUsergridClient`) so that guessing through the query string is throttled too.
 */
export function clientCredentials(deps: Pick<Deps, 'tenants' | 'bruteForceGuard'>) {
  return (_c: unknown, ctx: CredentialRequest): Promise<Authentication | false> =>
    once(ctx, 'client_credentials', async () => {
      const { client_id: clientId, client_secret: clientSecret } = ctx.query;
      if (clientSecret === undefined) return false;
      if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) {
        throw new InvalidRequest('client_id and client_secret must each be sent once, together');
      }
      const principal = await authenticateUsergridClient(deps, clientId, clientSecret, 'clientCredentials', ctx.ip);
      return { principal, presented: { scheme: 'clientCredentials', clientId } };
    });
}
