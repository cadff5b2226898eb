import type { Deps } from '../../deps.js';
import { findGroup, updateGroup as update } from '../../domain/groups.js';
import { groupView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';

export const updateGroup = (deps: Deps): OperationHandler<'updateGroup'> => async (c, ctx) => {
  const group = await update(deps, await findGroup(deps, applicationOf(ctx).application, c.request.params.group), c.request.requestBody);
  return { status: 200, body: envelope(ctx, deps.clock, 'put', `/groups/${group.name}`, [groupView(group)]) };
};
