import type { Deps } from '../../deps.js';
import { deleteRole as remove, findRole } from '../../domain/roles.js';
import { roleView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';
import { recordAction } from '../audit.js';

export const deleteRole = (deps: Deps): OperationHandler<'deleteRole'> => async (c, ctx) => {
  const role = await findRole(deps, applicationOf(ctx).application, c.request.params.role);
  await remove(deps, role);
  await recordAction(deps, ctx, { kind: 'role.deleted', subject: role.name, details: { role: role.name } });
  return { status: 200, body: envelope(ctx, deps.clock, 'delete', `/roles/${role.name}`, [roleView(role)]) };
};
