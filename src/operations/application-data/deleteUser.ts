import type { Deps } from '../../deps.js';
import { deleteAppUser, findAppUserAs } from '../../domain/app-users.js';
import { userView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf, principalOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';

export const deleteUser = (deps: Deps): OperationHandler<'deleteUser'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const user = await findAppUserAs(deps, application, c.request.params.user, principalOf(ctx));
  await deleteAppUser(deps, user);
  return { status: 200, body: envelope(ctx, deps.clock, 'delete', `/users/${user.uuid}`, [userView(user)]) };
};
