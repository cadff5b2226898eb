import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { deleteClient } from '../../oauth/clients.js';
import { applicationOf } from '../context.js';

/** `DELETE /management/orgs/{org}/apps/{app}/clients/{client}`: the client and every token it holds. */
export const deleteOAuthClient = (deps: Deps): OperationHandler<'deleteOAuthClient'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  await deleteClient(deps, application, c.request.params.client);
  return { status: 204, body: undefined };
};
