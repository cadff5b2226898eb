import type { Deps } from '../../deps.js';
import { deleteGroup as remove, findGroup } from '../../domain/groups.js';
import { groupView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';

export const deleteGroup = (deps: Deps): OperationHandler<'deleteGroup'> => async (c, ctx) => {
  const group = await findGroup(deps, applicationOf(ctx).application, c.request.params.group);
  await remove(deps, group);
  return { status: 200, body: envelope(ctx, deps.clock, 'delete', `/groups/${group.name}`, [groupView(group)]) };
};
