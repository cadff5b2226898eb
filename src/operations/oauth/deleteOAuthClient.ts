import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { deleteClient } from '../../oauth/clients.js';
import { applicationOf } from '../context.js';
import { recordAction } from '../audit.js';

/** `DELETE /management/orgs/{org}/apps/{app}/clients/{client}`: the client and every token it holds. */
export const deleteOAuthClient = (deps: Deps): OperationHandler<'deleteOAuthClient'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const client = await deleteClient(deps, application, c.request.params.client);
  await recordAction(deps, ctx, { kind: 'oauth-client.deleted', subject: client.clientId, details: { name: client.name } });
  return { status: 204, body: undefined };
};
