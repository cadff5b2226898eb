import type { Deps } from '../../deps.js';
import { findAppUser, updateAppUser } from '../../domain/app-users.js';
import { userView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';

/** `POST /{org}/{app}/users/{user}/activate` (application admins only): `PUT … {"activated": true}`. */
export const activateUser = (deps: Deps): OperationHandler<'activateUser'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const user = await findAppUser(deps, application, c.request.params.user);
  const changed = await updateAppUser(deps, user, { activated: true });
  return { status: 200, body: envelope(ctx, deps.clock, 'post', `/users/${changed.uuid}/activate`, [userView(changed)]) };
};
