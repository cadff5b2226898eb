import type { Deps } from '../../deps.js';
import { deleteRole as remove, findRole } from '../../domain/roles.js';
import { roleView } from '../../domain/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../application-data/envelope.js';
import { applicationOf } from '../context.js';

export const deleteRole = (deps: Deps): OperationHandler<'deleteRole'> => async (c, ctx) => {
  const role = await findRole(deps, applicationOf(ctx).application, c.request.params.role);
  await remove(deps, role);
  return { status: 200, body: envelope(ctx, deps.clock, 'delete', `/roles/${role.name}`, [roleView(role)]) };
};
