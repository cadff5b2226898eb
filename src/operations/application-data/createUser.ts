import type { Deps } from '../../deps.js';
import { createAppUser } from '../../domain/app-users.js';
import { userView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';

export const createUser = (deps: Deps): OperationHandler<'createUser'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const user = await createAppUser(deps, application, c.request.requestBody);
  return { status: 200, body: envelope(ctx, deps.clock, 'post', '/users', [userView(user)]) };
};
