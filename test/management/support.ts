import type { components } from '../../generated/openapi.js';
import { ok } from '../helpers/api.js';

type Schemas = components['schemas'];
/** What `/management/token` answers: an admin's token (`user`), an organization client's or an application client's. */
type IssuedToken = Schemas['ManagementTokenResponse'] | Schemas['OrganizationTokenResponse'] | Schemas['ApplicationClientTokenResponse'];

/** The token of a password grant, which is an admin's: the only kind of issued token that comes with its `user`. */
export function adminToken(answer: { data?: IssuedToken; error?: unknown; response: Response }): Schemas['ManagementTokenResponse'] {
  const issued = ok(answer);
  if (!('user' in issued)) throw new Error(`an admin's token was expected, got ${JSON.stringify(issued)}`);
  return issued;
}
