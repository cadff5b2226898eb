import type { Deps } from '../../deps.js';
import { findAppUserAs } from '../../domain/app-users.js';
import { userView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf, principalOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';

export const getUser = (deps: Deps): OperationHandler<'getUser'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const user = await findAppUserAs(deps, application, c.request.params.user, principalOf(ctx));
  return { status: 200, body: envelope(ctx, deps.clock, 'get', `/users/${user.uuid}`, [userView(user)]) };
};
