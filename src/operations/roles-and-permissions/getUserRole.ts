import type { Deps } from '../../deps.js';
import { findAppUserAs } from '../../domain/app-users.js';
import { findRole } from '../../domain/roles.js';
import { roleView } from '../../usergrid/views.js';
import { NotFound } from '../../errors.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf, principalOf } from '../context.js';

/** The role, if the user was given it directly; 404 otherwise (Usergrid). */
export const getUserRole = (deps: Deps): OperationHandler<'getUserRole'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const user = await findAppUserAs(deps, application, c.request.params.user, principalOf(ctx));
  const role = await findRole(deps, application, c.request.params.role);
  if (!(await deps.repositories.memberships.has('userRole', user.id, role.id))) throw new NotFound(`The user does not have the role ${role.name}`, 'entity_not_found');
  return { status: 200, body: envelope(ctx, deps.clock, 'get', `/users/${user.uuid}/roles/${role.name}`, [roleView(role)]) };
};
