import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';

/** Public identifiers only: secrets are shown once, when issued. */
export const getApplicationCredentials = (_deps: Deps): OperationHandler<'getApplicationCredentials'> => (_c, ctx) => {
  const { application } = applicationOf(ctx);
  return {
    status: 200,
    body: {
      action: 'get application client credentials',
      credentials: { client_id: application.clientId, application_id: application.id, auth_key: application.authKey },
    },
  };
};
