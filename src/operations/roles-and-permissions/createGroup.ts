import type { Deps } from '../../deps.js';
import { createGroup as create } from '../../domain/groups.js';
import { groupView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';

export const createGroup = (deps: Deps): OperationHandler<'createGroup'> => async (c, ctx) => {
  const group = await create(deps, applicationOf(ctx).application, c.request.requestBody);
  return { status: 200, body: envelope(ctx, deps.clock, 'post', '/groups', [groupView(group)]) };
};
