import type { Deps } from '../../deps.js';
import { findAppUserAs, proveCurrentPassword, tokenToKeep, updateAppUser } from '../../domain/app-users.js';
import type { OperationHandler } from '../types.js';
import { applicationOf, principalOf } from '../context.js';
import { applicationRevocationAnswer } from '../../usergrid/envelopes.js';
import { recordAction } from '../audit.js';

/**
 * `PUT /{org}/{app}/users/{user}/password`. The authorization step let only the user themselves or
 * an application admin through (`application-user-account`, which keeps a third-party client's
 * token out); the user proves the current password, an admin need not.
 */
export const changeUserPassword = (deps: Deps): OperationHandler<'changeUserPassword'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const principal = principalOf(ctx);
  const { newpassword, oldpassword } = c.request.requestBody;
  const user = await findAppUserAs(deps, application, c.request.params.user, principal);
  if (ctx.state.standing !== 'administrator') await proveCurrentPassword(deps, user, oldpassword, ctx.ip);
  await updateAppUser(deps, user, { password: newpassword }, tokenToKeep(principal, user));
  await recordAction(deps, ctx, { kind: 'user.password-changed', subject: user.uuid, details: { username: user.username, by_owner: ctx.state.standing !== 'administrator' } });
  return { status: 200, body: applicationRevocationAnswer(ctx, deps.clock, 'set user password') };
};
