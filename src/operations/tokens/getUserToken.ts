import type { Deps } from '../../deps.js';
import { findAppUser } from '../../domain/app-users.js';
import { mintUserToken } from '../../usergrid/token-endpoint.js';
import type { OperationHandler } from '../types.js';
import { applicationOf, principalOf } from '../context.js';

/** `GET /{org}/{app}/users/{user}/token`: an application admin mints a token for one of its users. */
export const getUserToken = (deps: Deps): OperationHandler<'getUserToken'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const user = await findAppUser(deps, application, c.request.params.user);
  return { status: 200, body: await mintUserToken(deps, application, user, c.request.query.ttl, principalOf(ctx)) };
};
