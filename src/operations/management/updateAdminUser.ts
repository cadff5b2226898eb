import type { Deps } from '../../deps.js';
import { findAdminUserAs, updateAdminUser as changeAdminUser } from '../../domain/admin-users.js';
import { adminUserView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { principalOf } from '../context.js';

/** `PUT /management/users/{user}`: name and email, by the admin themselves or the superuser (`admin-user-self`). */
export const updateAdminUser = (deps: Deps): OperationHandler<'updateAdminUser'> => async (c, ctx) => {
  const admin = await findAdminUserAs(deps, c.request.params.user, principalOf(ctx));
  const updated = await changeAdminUser(deps, admin, c.request.requestBody);
  return { status: 200, body: { action: 'update user info', status: 'ok', data: await adminUserView(deps.repositories, updated) } };
};
