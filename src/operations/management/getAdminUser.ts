import type { Deps } from '../../deps.js';
import { findAdminUserAs } from '../../domain/admin-users.js';
import { adminUserView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { principalOf } from '../context.js';

/** `GET /management/users/{user}`: the authorization step let only the admin themselves or the superuser through (`admin-user-self`). */
export const getAdminUser = (deps: Deps): OperationHandler<'getAdminUser'> => async (c, ctx) => {
  const admin = await findAdminUserAs(deps, c.request.params.user, principalOf(ctx));
  return { status: 200, body: { action: 'get admin user', status: 'ok', data: await adminUserView(deps.repositories, admin) } };
};
