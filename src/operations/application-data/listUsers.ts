import type { Deps } from '../../deps.js';
import { page } from '../../domain/paging.js';
import { userView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';

export const listUsers = (deps: Deps): OperationHandler<'listUsers'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const result = await page((afterId, limit) => deps.repositories.appUsers.list(application.id, afterId, limit), c.request.query.cursor, c.request.query.limit);
  return { status: 200, body: envelope(ctx, deps.clock, 'get', '/users', result.items.map(userView), result.cursor) };
};
