import type { Deps } from '../../deps.js';
import { rotateApplicationSecrets } from '../../domain/applications.js';
import type { OperationHandler } from '../../http/operation-types.js';
import { applicationOf } from '../context.js';

export const rotateApplicationCredentials = (deps: Deps): OperationHandler<'rotateApplicationCredentials'> => async (_c, ctx) => {
  const { application } = applicationOf(ctx);
  const secrets = await rotateApplicationSecrets(deps.repositories, deps.secretBox, application, deps.clock.now());
  // Tokens obtained with the old secret go with it: rotating is what one does after a leak.
  await deps.tokens.revokeWhere({ clientId: application.clientId });
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store' },
    body: {
      action: 'generate application client credentials',
      credentials: {
        client_id: application.clientId,
        client_secret: secrets.clientSecret,
        application_id: application.id,
        auth_key: application.authKey,
        auth_secret: secrets.authSecret,
      },
    },
  };
};
