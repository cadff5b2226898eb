import type { Deps } from '../../deps.js';
import { findRole, updateRole as update } from '../../domain/roles.js';
import { roleView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';

export const updateRole = (deps: Deps): OperationHandler<'updateRole'> => async (c, ctx) => {
  const role = await update(deps, await findRole(deps, applicationOf(ctx).application, c.request.params.role), c.request.requestBody);
  return { status: 200, body: envelope(ctx, deps.clock, 'put', `/roles/${role.name}`, [roleView(role)]) };
};
