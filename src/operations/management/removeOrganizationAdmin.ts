import type { Deps } from '../../deps.js';
import { findAdminUserAs, removeOrganizationAdmin as removeAdmin } from '../../domain/admin-users.js';
import { organizationAdminView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { organizationOf, principalOf } from '../context.js';
import { recordAction } from '../audit.js';

/**
 * `DELETE /management/orgs/{org}/users/{user}`: the admin user stops being an admin of the
 * organization, never its last one (`organization-admin-user`: its admins, themselves included,
 * and the superuser).
 */
export const removeOrganizationAdmin = (deps: Deps): OperationHandler<'removeOrganizationAdmin'> => async (c, ctx) => {
  const organization = organizationOf(ctx);
  const admin = await findAdminUserAs(deps, c.request.params.user, principalOf(ctx));
  // In the removal's transaction: the event lands with the change, or neither does.
  await removeAdmin(deps, organization, admin, (tx) =>
    recordAction(deps, ctx, { kind: 'organization-admin.removed', subject: admin.uuid, details: { admin_user: admin.username } }, tx),
  );
  return { status: 200, body: { action: 'remove user from organization', status: 'ok', data: { user: organizationAdminView(admin) } } };
};
