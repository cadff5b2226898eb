import type { Deps } from '../../deps.js';
import { findGroup } from '../../domain/groups.js';
import { groupView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';

export const getGroup = (deps: Deps): OperationHandler<'getGroup'> => async (c, ctx) => {
  const group = await findGroup(deps, applicationOf(ctx).application, c.request.params.group);
  return { status: 200, body: envelope(ctx, deps.clock, 'get', `/groups/${group.name}`, [groupView(group)]) };
};
