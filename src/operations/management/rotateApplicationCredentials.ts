import type { Deps } from '../../deps.js';
import { rotateApplicationSecrets } from '../../domain/applications.js';
import { revokeObtainedWithApplicationSecrets } from '../../usergrid/token-revocation.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';

export const rotateApplicationCredentials = (deps: Deps): OperationHandler<'rotateApplicationCredentials'> => async (_c, ctx) => {
  const { application } = applicationOf(ctx);
  const secrets = await rotateApplicationSecrets(deps.repositories, deps.secretBox, application, deps.clock.now());
  await revokeObtainedWithApplicationSecrets(deps, application);
  return {
    status: 200,
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
