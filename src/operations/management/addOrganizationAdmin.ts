import type { Deps } from '../../deps.js';
import { addOrganizationAdmin as addAdmin, findAdminUserToAdd } from '../../domain/admin-users.js';
import { organizationAdminView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { organizationOf, principalOf } from '../context.js';
import { recordAction } from '../audit.js';

/**
 * `PUT /management/orgs/{org}/users/{user}`: an existing admin user becomes an admin of the
 * organization (`organization-admin-user` let only its admins and the superuser through; an admin
 * adds only an admin they already work with); adding one twice changes nothing, adding the
 * superuser is refused.
 */
export const addOrganizationAdmin = (deps: Deps): OperationHandler<'addOrganizationAdmin'> => async (c, ctx) => {
  const organization = organizationOf(ctx);
  const admin = await findAdminUserToAdd(deps, c.request.params.user, principalOf(ctx));
  await addAdmin(deps, organization, admin);
  await recordAction(deps, ctx, { kind: 'organization-admin.added', subject: admin.uuid, details: { admin_user: admin.username } });
  return { status: 200, body: { action: 'add user to organization', status: 'ok', data: { user: organizationAdminView(admin) } } };
};
