import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { clientView } from '../../oauth/clients.js';
import { applicationOf } from '../context.js';

/** `GET /management/orgs/{org}/apps/{app}/clients`: never a secret. */
export const listOAuthClients = (deps: Deps): OperationHandler<'listOAuthClients'> => async (_c, ctx) => {
  const { application } = applicationOf(ctx);
  const clients = await deps.repositories.oauthClients.listByApplication(application.id);
  return { status: 200, body: { clients: clients.map((client) => clientView(client)) } };
};
