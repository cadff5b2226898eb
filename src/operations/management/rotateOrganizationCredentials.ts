import type { Deps } from '../../deps.js';
import { newClientSecret } from '../../domain/client-credentials.js';
import { revokeObtainedWithOrganizationSecret } from '../../usergrid/token-revocation.js';
import type { OperationHandler } from '../types.js';
import { organizationOf } from '../context.js';
import { recordAction } from '../audit.js';

export const rotateOrganizationCredentials = (deps: Deps): OperationHandler<'rotateOrganizationCredentials'> => async (_c, ctx) => {
  const organization = organizationOf(ctx);
  const client = newClientSecret();
  await deps.repositories.organizations.setClientSecretHash(organization.id, client.hash, deps.clock.now());
  const revoked = await revokeObtainedWithOrganizationSecret(deps, organization);
  await recordAction(deps, ctx, { kind: 'credentials.rotated', subject: organization.clientId, details: { owner: 'organization', tokens_revoked: revoked } });
  return {
    status: 200,
    body: { action: 'generate organization client credentials', credentials: { client_id: organization.clientId, client_secret: client.secret } },
  };
};
