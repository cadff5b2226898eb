import type { Deps } from '../../deps.js';
import { findAppUserAs, proveCurrentPassword, tokenToKeep, updateAppUser } from '../../domain/app-users.js';
import { userView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf, principalOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';
import { recordAction } from '../audit.js';

/** The authorization step let only the user themselves or an application admin through (`application-user-account`). */
export const updateUser = (deps: Deps): OperationHandler<'updateUser'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const changes = c.request.requestBody;
  const principal = principalOf(ctx);
  const user = await findAppUserAs(deps, application, c.request.params.user, principal);
  // A session or token is not the password: its holder proves the current one to set a new one.
  if (changes.password !== undefined && ctx.state.standing !== 'administrator') await proveCurrentPassword(deps, user, changes.oldpassword, ctx.ip);
  // The same rule as `changeUserPassword`: the user's own change spares the token that sent it.
  const changed = await updateAppUser(deps, user, changes, tokenToKeep(principal, user));
  // The account's security changes made through the general update, recorded as their own routes record them.
  if (changes.password !== undefined) {
    await recordAction(deps, ctx, { kind: 'user.password-changed', subject: user.uuid, details: { username: changed.username, by_owner: ctx.state.standing !== 'administrator' } });
  }
  if (changed.activated !== user.activated) {
    await recordAction(deps, ctx, { kind: changed.activated ? 'user.activated' : 'user.deactivated', subject: user.uuid, details: { username: changed.username } });
  }
  return { status: 200, body: envelope(ctx, deps.clock, 'put', `/users/${changed.uuid}`, [userView(changed)]) };
};
