import type { Repositories } from '../../deps.js';
import { authenticateClient } from '../../domain/client-credentials.js';
import { InvalidRequest } from '../../errors.js';
import type { TesseraContext } from '../../http/operation-types.js';
import { once } from '../memo.js';
import type { Principal } from '../principal.js';

/**
 * `?client_id=…&client_secret=…` authenticates as the organization or application that owns the
 * pair (Usergrid). The spec declares them as two schemes in one requirement; both resolve here once.
 * A lone `client_id` is not a credential (it is public), so it counts as absent.
 */
export function clientCredentials(deps: { repositories: Repositories }) {
  return (_c: unknown, ctx: TesseraContext): Promise<Principal | false> =>
    once(ctx, 'client_credentials', async () => {
      const { client_id: clientId, client_secret: clientSecret } = ctx.query;
      if (clientSecret === undefined) return false;
      if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) {
        throw new InvalidRequest('client_id and client_secret must each be sent once, together');
      }
      return authenticateClient(deps.repositories, clientId, clientSecret, 'clientCredentials');
    });
}
