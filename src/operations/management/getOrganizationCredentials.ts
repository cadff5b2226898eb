import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { organizationOf } from '../context.js';

/** The client id only: secrets are shown once, when issued. */
export const getOrganizationCredentials = (_deps: Deps): OperationHandler<'getOrganizationCredentials'> => (_c, ctx) => ({
  status: 200,
  body: { action: 'get organization client credentials', credentials: { client_id: organizationOf(ctx).clientId } },
});
