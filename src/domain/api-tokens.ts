import type { components } from '../../generated/openapi.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { TokenRecord } from '../db/repositories/tokens.js';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import { randomSecret } from '../secrets/random.js';
import { mintedFamilyOf } from './access-tokens.js';
import { clientIdBehind, keepIfSecretStillCurrent } from './client-credentials.js';
import type { TokenStore } from '../tokens/token-store.js';

/** Prefix of API tokens, so scanners and people can tell them from other tokens. */
export const apiTokenPrefix = 'tsr_api_';

type NewApiToken = components['schemas']['NewApiToken'];

/**
 * Quable's API tokens: long-lived, for one application, and tied to no user (`subjectKind: 'none'`),
 * so revoking an admin's tokens, changing their password or removing them leaves these working.
 * `read` tokens get the read ceiling, which `auth/authorize.ts` applies to every write.
 */
export async function createApiToken(
  deps: Pick<Deps, 'tokens' | 'clock' | 'repositories'>,
  application: ApplicationRecord,
  input: NewApiToken,
  createdBy: Principal,
): Promise<{ value: string; token: TokenRecord }> {
  // Created by a client (its secret, or a token obtained with it): rotating that secret revokes it.
  const clientId = await clientIdBehind(deps.repositories, createdBy);
  const value = randomSecret(apiTokenPrefix);
  const token = await deps.tokens.issue(value, {
    kind: 'api',
    principalKind: 'apiToken',
    organizationId: application.organizationId,
    applicationId: application.id,
    subjectKind: 'none',
    subjectId: null,
    ceiling: input.access === 'read' ? 'read' : 'write',
    scopes: [],
    clientId,
    name: input.name,
    familyId: null,
    metadata: {},
    expiresAt: input.expires_in === undefined ? null : deps.clock.now() + input.expires_in * 1000,
    idleTtlMs: null,
  });
  await keepIfSecretStillCurrent(deps, createdBy, token);
  return { value, token };
}

/** The application's live API tokens, oldest first. */
export function listApiTokens(deps: Pick<Deps, 'tokens'>, application: ApplicationRecord): Promise<TokenRecord[]> {
  return deps.tokens.list({ applicationId: application.id, kind: 'api' });
}

/** Revokes one of the application's API tokens by id; effective on the very next request. */
export async function revokeApiToken(deps: Pick<Deps, 'tokens' | 'repositories'>, application: ApplicationRecord, id: number): Promise<TokenRecord> {
  const token = await deps.repositories.tokens.findById(id);
  if (!token || token.kind !== 'api' || token.applicationId !== application.id || token.revokedAt !== null) {
    throw new NotFound(`No API token ${id} in this application`, 'api_token_not_found');
  }
  await deps.tokens.revokeOne(token);
  // And the user tokens it minted: a leaked API token does not outlive its revocation through them.
  await deps.tokens.revokeWhere({ familyId: mintedFamilyOf(token.id) });
  return token;
}

/** How an API token is shown: never its value (only its hash is kept anyway). */
export function apiTokenView(tokens: TokenStore, token: TokenRecord): components['schemas']['ApiToken'] {
  const lastUsed = tokens.lastUsedAt(token);
  return {
    id: token.id,
    name: token.name ?? '',
    access: token.ceiling === 'read' ? 'read' : 'full',
    created: token.createdAt,
    expires: token.expiresAt,
    // The store sets last use to the creation time; anything later is a real use.
    last_used: lastUsed > token.createdAt ? lastUsed : null,
  };
}
