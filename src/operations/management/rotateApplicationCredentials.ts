import type { Deps } from '../../deps.js';
import { rotateApplicationSecrets } from '../../domain/applications.js';
import { revokeObtainedWithApplicationSecrets } from '../../usergrid/token-revocation.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';
import { recordAction } from '../audit.js';

export const rotateApplicationCredentials = (deps: Deps): OperationHandler<'rotateApplicationCredentials'> => async (_c, ctx) => {
  const { application } = applicationOf(ctx);
  const secrets = await rotateApplicationSecrets(deps.repositories, deps.secretBox, application, deps.clock.now());
  const revoked = await revokeObtainedWithApplicationSecrets(deps, application);
  // One call rotates both the client secret and the QuickBlox auth secret.
  await recordAction(deps, ctx, { kind: 'credentials.rotated', subject: application.clientId, details: { owner: 'application', auth_secret: true, tokens_revoked: revoked } });
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
