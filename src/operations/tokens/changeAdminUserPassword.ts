import type { Deps } from '../../deps.js';
import { changeAdminPassword, findAdminUserAs } from '../../domain/admin-users.js';
import type { OperationHandler } from '../types.js';
import { principalOf } from '../context.js';
import { managementRevocationAnswer } from '../../usergrid/envelopes.js';
import { recordAdminAccountAction } from '../audit.js';

/**
 * `PUT /management/users/{user}/password`. The authorization step let only the admin themselves or
 * the superuser through (`admin-user-self`); the admin proves the current password, the superuser
 * setting another admin's need not, and the token the admin sent it with stays alive.
 */
export const changeAdminUserPassword = (deps: Deps): OperationHandler<'changeAdminUserPassword'> => async (c, ctx) => {
  const principal = principalOf(ctx);
  const admin = await findAdminUserAs(deps, c.request.params.user, principal);
  const self = principal.userId === admin.id && (principal.kind === 'superuser' || principal.kind === 'orgAdmin');
  await changeAdminPassword(deps, admin, c.request.requestBody, {
    required: self || ctx.state.standing !== 'administrator',
    ip: ctx.ip,
    ...(self && principal.credential.token && { keepTokenId: principal.credential.token.id }),
  });
  await recordAdminAccountAction(deps, ctx, admin, { kind: 'admin-user.password-changed', details: { admin_user: admin.username, by_owner: self } });
  return { status: 200, body: managementRevocationAnswer(ctx, deps.clock, 'set user password') };
};
