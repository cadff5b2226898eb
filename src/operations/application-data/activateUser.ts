import type { Deps } from '../../deps.js';
import { findAppUser, updateAppUser } from '../../domain/app-users.js';
import { userView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';
import { recordAction } from '../audit.js';

/** `POST /{org}/{app}/users/{user}/activate` (application admins only): `PUT … {"activated": true}`. */
export const activateUser = (deps: Deps): OperationHandler<'activateUser'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const user = await findAppUser(deps, application, c.request.params.user);
  const changed = await updateAppUser(deps, user, { activated: true });
  await recordAction(deps, ctx, { kind: 'user.activated', subject: user.uuid, details: { username: user.username } });
  return { status: 200, body: envelope(ctx, deps.clock, 'post', `/users/${changed.uuid}/activate`, [userView(changed)]) };
};
