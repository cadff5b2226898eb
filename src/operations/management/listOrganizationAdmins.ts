import type { Deps } from '../../deps.js';
import { organizationAdminView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { organizationOf } from '../context.js';

/** `GET /management/orgs/{org}/users`: the organization's admins, for its admins and the superuser (`organization-admin-user`). */
export const listOrganizationAdmins = (deps: Deps): OperationHandler<'listOrganizationAdmins'> => async (_c, ctx) => {
  const admins = await deps.repositories.adminUsers.listOfOrganization(organizationOf(ctx).id);
  return { status: 200, body: { action: 'get organization users', status: 'ok', data: admins.map(organizationAdminView) } };
};
