import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { clientView, registerClient } from '../../oauth/clients.js';
import { applicationOf } from '../context.js';
import { recordAction } from '../audit.js';

/** `POST /management/orgs/{org}/apps/{app}/clients`: the secret is in this answer only. */
export const createOAuthClient = (deps: Deps): OperationHandler<'createOAuthClient'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const { client, secret } = await registerClient(deps, application, c.request.requestBody);
  await recordAction(deps, ctx, { kind: 'oauth-client.registered', subject: client.clientId, details: { name: client.name, confidential: secret !== undefined } });
  return { status: 201, body: clientView(client, secret) };
};
