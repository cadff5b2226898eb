import type { Deps } from '../../deps.js';
import { page } from '../../domain/paging.js';
import { findRole } from '../../domain/roles.js';
import { groupView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';

/** `GET /{org}/{app}/roles/{role}/groups`: the groups given the role, the links `listGroupRoles` shows from the other side. */
export const listRoleGroups = (deps: Deps): OperationHandler<'listRoleGroups'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const role = await findRole(deps, application, c.request.params.role);
  const { cursor, limit } = c.request.query;
  const result = await page((afterId, size) => deps.repositories.groups.list(application.id, afterId, size, { kind: 'role', id: role.id }), cursor, limit);
  return { status: 200, body: envelope(ctx, deps.clock, 'get', `/roles/${role.name}/groups`, result.items.map(groupView), result.cursor) };
};
