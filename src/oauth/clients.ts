import { randomBytes } from 'node:crypto';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { OAuthClientRecord, OAuthGrantType, TokenEndpointAuthMethod } from '../db/repositories/oauth-clients.js';
import type { Deps } from '../deps.js';
import { InvalidClient, InvalidClientMetadata, NotFound } from '../errors.js';
import { randomSecret } from '../secrets/random.js';
import { sha256 } from '../secrets/digest.js';
import { checkRedirectUri } from './redirect-uris.js';

export interface NewOAuthClient {
  name: string;
  redirect_uris?: string[];
  grant_types?: OAuthGrantType[];
  token_endpoint_auth_method?: TokenEndpointAuthMethod;
  first_party?: boolean;
}

/** Public clients (`none`) cannot keep a secret, so they get only the grants a user approves in a browser. */
const publicClientGrants: readonly OAuthGrantType[] = ['authorization_code', 'refresh_token'];

export const isPublicClient = (client: Pick<OAuthClientRecord, 'tokenEndpointAuthMethod'>) => client.tokenEndpointAuthMethod === 'none';

/** The rules a registration must keep; each refusal names the field (RFC 7591 §3.2.2). */
function checkRegistration(input: Required<NewOAuthClient>): void {
  const refuse = (why: string): never => {
    throw new InvalidClientMetadata(why);
  };
  if (!input.name.trim()) refuse('name must not be blank');
  if (!input.grant_types.length) refuse('grant_types must name at least one grant');
  if (input.grant_types.includes('authorization_code') && !input.redirect_uris.length) {
    refuse('redirect_uris must name at least one URI for the authorization_code grant');
  }
  input.redirect_uris.forEach(checkRedirectUri);
  if (input.grant_types.includes('refresh_token') && !input.grant_types.some((g) => g === 'authorization_code' || g === 'password')) {
    refuse('refresh_token is only useful with authorization_code or password');
  }
  if (input.token_endpoint_auth_method === 'none') {
    const refused = input.grant_types.filter((g) => !publicClientGrants.includes(g));
    if (refused.length) refuse(`a public client (token_endpoint_auth_method none) may not use ${refused.join(', ')}`);
  }
  // RFC 9700 §2.4 forbids the password grant; we offer it only where the user trusts the client as much as the server.
  if (input.grant_types.includes('password') && !(input.first_party && input.token_endpoint_auth_method !== 'none')) {
    refuse('the password grant is only for first-party confidential clients (first_party true and a client secret)');
  }
}

/** Registers a client of an application; its secret is returned here once and kept only as a hash. */
export async function registerClient(
  deps: Pick<Deps, 'repositories' | 'clock'>,
  application: ApplicationRecord,
  input: NewOAuthClient,
): Promise<{ client: OAuthClientRecord; secret?: string }> {
  const settled: Required<NewOAuthClient> = {
    name: input.name.trim(),
    redirect_uris: [...new Set(input.redirect_uris ?? [])],
    grant_types: [...new Set(input.grant_types ?? (['authorization_code', 'refresh_token'] as OAuthGrantType[]))],
    token_endpoint_auth_method: input.token_endpoint_auth_method ?? 'client_secret_basic',
    first_party: input.first_party ?? false,
  };
  checkRegistration(settled);
  const secret = settled.token_endpoint_auth_method === 'none' ? undefined : randomSecret('tsr_ocs_');
  const now = deps.clock.now();
  const client = await deps.repositories.oauthClients.insert({
    clientId: `oc_${randomBytes(16).toString('base64url')}`,
    clientSecretHash: secret === undefined ? null : sha256(secret),
    organizationId: application.organizationId,
    applicationId: application.id,
    name: settled.name,
    redirectUris: settled.redirect_uris,
    grantTypes: settled.grant_types,
    tokenEndpointAuthMethod: settled.token_endpoint_auth_method,
    firstParty: settled.first_party,
    createdAt: now,
    modifiedAt: now,
  });
  return { client, ...(secret !== undefined && { secret }) };
}

/** Removes a client; every token it was issued (access, refresh, codes, open logins) stops working at once. */
export async function deleteClient(deps: Pick<Deps, 'repositories' | 'tokens'>, application: ApplicationRecord, clientId: string): Promise<OAuthClientRecord> {
  const client = await deps.repositories.oauthClients.findByClientId(clientId);
  if (!client || client.applicationId !== application.id) throw new NotFound(`No OAuth client ${clientId} in this application`, 'client_not_found');
  // The row first, so no new token can be issued to the client while its tokens are revoked.
  await deps.repositories.oauthClients.delete(application.id, clientId);
  await deps.tokens.revokeWhere({ clientId });
  return client;
}

/**
 * Tokens just issued to a client are kept only if the client still exists, read from the database
 * after they were written. Its record came from the tenant cache, which a deletion through another
 * instance reaches only with that instance's notice (milliseconds; `tenantCacheTtlMs` at most):
 * tokens written in between would escape the deletion's revocation and outlive the client. Read
 * after the write, either the client still exists and a later deletion revokes these tokens, or it
 * is gone and they go now (as `keepIfSecretStillCurrent` does for a rotated secret).
 */
export async function keepIfClientStillRegistered(deps: Pick<Deps, 'repositories' | 'tokens'>, client: OAuthClientRecord): Promise<void> {
  if (await deps.repositories.oauthClients.isRegistered(client.clientId)) return;
  await deps.tokens.revokeWhere({ clientId: client.clientId });
  throw new InvalidClient('Unable to authenticate the client: unknown client or wrong secret', { basic: true });
}

/** How a client looks on the wire (RFC 7591 names); the secret only when it was just issued. */
export function clientView(client: OAuthClientRecord, secret?: string) {
  return {
    client_id: client.clientId,
    ...(secret !== undefined && { client_secret: secret }),
    name: client.name,
    redirect_uris: client.redirectUris,
    grant_types: client.grantTypes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    first_party: client.firstParty,
    created: client.createdAt,
    modified: client.modifiedAt,
  };
}
