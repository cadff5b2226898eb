import type { Deps } from '../../deps.js';
import { organizationViewOf } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { organizationOf } from '../context.js';

export const getOrganization = (deps: Deps): OperationHandler<'getOrganization'> => async (_c, ctx) => ({
  status: 200,
  body: { action: 'get organization', status: 'ok', data: { organization: await organizationViewOf(deps.repositories, organizationOf(ctx)) } },
});
