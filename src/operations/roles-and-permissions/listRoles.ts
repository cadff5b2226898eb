import type { Deps } from '../../deps.js';
import { page } from '../../domain/paging.js';
import { roleView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';

export const listRoles = (deps: Deps): OperationHandler<'listRoles'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const { cursor, limit } = c.request.query;
  const result = await page((afterId, size) => deps.repositories.roles.list(application.id, afterId, size), cursor, limit);
  return { status: 200, body: envelope(ctx, deps.clock, 'get', '/roles', result.items.map(roleView), result.cursor) };
};
