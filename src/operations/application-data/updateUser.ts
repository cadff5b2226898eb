import type { Deps } from '../../deps.js';
import { findAppUserAs, updateAppUser } from '../../domain/app-users.js';
import { userView } from '../../domain/views.js';
import type { OperationHandler } from '../../http/operation-types.js';
import { applicationOf, principalOf } from '../context.js';
import { envelope } from './envelope.js';

export const updateUser = (deps: Deps): OperationHandler<'updateUser'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const user = await updateAppUser(deps, await findAppUserAs(deps, application, c.request.params.user, principalOf(ctx)), c.request.requestBody);
  return { status: 200, body: envelope(ctx, deps.clock, 'put', `/users/${user.uuid}`, [userView(user)]) };
};
