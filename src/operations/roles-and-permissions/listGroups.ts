import type { Deps } from '../../deps.js';
import { page } from '../../domain/paging.js';
import { groupView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';

export const listGroups = (deps: Deps): OperationHandler<'listGroups'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const { cursor, limit } = c.request.query;
  const result = await page((afterId, size) => deps.repositories.groups.list(application.id, afterId, size), cursor, limit);
  return { status: 200, body: envelope(ctx, deps.clock, 'get', '/groups', result.items.map(groupView), result.cursor) };
};
