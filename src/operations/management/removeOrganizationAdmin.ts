import type { Deps } from '../../deps.js';
import { findAdminUserAs, removeOrganizationAdmin as removeAdmin } from '../../domain/admin-users.js';
import { organizationAdminView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { organizationOf, principalOf } from '../context.js';

/**
 * `DELETE /management/orgs/{org}/users/{user}`: the admin user stops being an admin of the
 * organization, never its last one (`organization-admin-user`: its admins, themselves included,
 * and the superuser).
 */
export const removeOrganizationAdmin = (deps: Deps): OperationHandler<'removeOrganizationAdmin'> => async (c, ctx) => {
  const organization = organizationOf(ctx);
  const admin = await findAdminUserAs(deps, c.request.params.user, principalOf(ctx));
  await removeAdmin(deps, organization, admin);
  return { status: 200, body: { action: 'remove user from organization', status: 'ok', data: { user: organizationAdminView(admin) } } };
};
