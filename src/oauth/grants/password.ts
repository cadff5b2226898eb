import { randomUUID } from 'node:crypto';
import { authenticateAppUser, keepIfAccountUnchanged } from '../../domain/app-users.js';
import { UnauthorizedClient } from '../../errors.js';
import { isPublicClient } from '../clients.js';
import { issueTokens } from '../issue.js';
import { defaultScopes, parseScope } from '../scopes.js';
import { required, type CompiledPermission } from './grant.js';

/**
 * RFC 6749 §4.3, the seed's grant for first-party clients. RFC 9700 §2.4 says it "MUST NOT be
 * used"; we keep it for clients the application owner marked first-party that hold a secret, and
 * guard every password check against brute force (RFC 6749 §4.3.2), recording each failure.
 */
export const password: CompiledPermission = async ({ deps, client, params, ip }) => {
  if (isPublicClient(client) || !client.firstParty) throw new UnauthorizedClient('The password grant is only for first-party confidential clients');
  const username = required(params, 'username');
  const secret = required(params, 'password');
  const scopes = parseScope(params.scope, defaultScopes);
  const user = await authenticateAppUser(deps, { id: client.applicationId, organizationId: client.organizationId }, username, secret, ip);
  const refresh = client.grantTypes.includes('refresh_token') ? { scopes, generation: 0 } : undefined;
  const familyId = randomUUID();
  const { response } = await issueTokens(deps, { client, subject: { kind: 'user', userId: user.id }, scopes, familyId, ...(refresh && { refresh }) });
  await keepIfAccountUnchanged(deps, user, () => deps.tokens.revokeWhere({ familyId }));
  return response;
};
