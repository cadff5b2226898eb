import { randomUUID } from 'node:crypto';
import { issueTokens } from '../issue.js';
import { defaultScopes, parseScope } from '../scopes.js';
import type { CompiledPermission } from './grant.js';

/**
 * RFC 6749 §4.4: the client acts for itself. The registration rules keep this grant from public
 * clients; the token speaks for the client (principal `oauthClient`) and comes without a refresh
 * token (§4.4.3).
 */
export const clientCredentials: CompiledPermission = async ({ deps, client, params }) => {
  const scopes = parseScope(params.scope, defaultScopes);
  const { response } = await issueTokens(deps, { client, subject: { kind: 'client' }, scopes, familyId: randomUUID() });
  return response;
};
