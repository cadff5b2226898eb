import type { Deps } from '../../deps.js';
import { findGroup } from '../../domain/groups.js';
import { page } from '../../domain/paging.js';
import { roleView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';

export const listGroupRoles = (deps: Deps): OperationHandler<'listGroupRoles'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const group = await findGroup(deps, application, c.request.params.group);
  const { cursor, limit } = c.request.query;
  const result = await page((afterId, size) => deps.repositories.roles.list(application.id, afterId, size, { kind: 'group', id: group.id }), cursor, limit);
  return { status: 200, body: envelope(ctx, deps.clock, 'get', `/groups/${group.name}/roles`, result.items.map(roleView), result.cursor) };
};
