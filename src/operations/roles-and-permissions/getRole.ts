import type { Deps } from '../../deps.js';
import { findRole } from '../../domain/roles.js';
import { roleView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';

export const getRole = (deps: Deps): OperationHandler<'getRole'> => async (c, ctx) => {
  const role = await findRole(deps, applicationOf(ctx).application, c.request.params.role);
  return { status: 200, body: envelope(ctx, deps.clock, 'get', `/roles/${role.name}`, [roleView(role)]) };
};
