import type { Deps } from '../../deps.js';
import { findAppUserAs } from '../../domain/app-users.js';
import { page } from '../../domain/paging.js';
import { roleView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf, principalOf } from '../context.js';

export const listUserRoles = (deps: Deps): OperationHandler<'listUserRoles'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const user = await findAppUserAs(deps, application, c.request.params.user, principalOf(ctx));
  const { cursor, limit } = c.request.query;
  const result = await page((afterId, size) => deps.repositories.roles.list(application.id, afterId, size, { kind: 'user', id: user.id }), cursor, limit);
  return { status: 200, body: envelope(ctx, deps.clock, 'get', `/users/${user.uuid}/roles`, result.items.map(roleView), result.cursor) };
};
