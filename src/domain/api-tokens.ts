import type { components } from '../../generated/openapi.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import type { Principal } from '../auth/principal.js';
import { mintedFamilyOf } from './access-tokens.js';
import { clientIdBehind, keepIfSecretStillCurrent } from './client-credentials.js';
import type { TokenRecord } from '../tokens/kinds.js';
import type { IssuedToken, TokenStore } from '../tokens/token-store.js';

type NewApiToken = components['schemas']['NewApiToken'];

/**
 * Quable's API tokens: long-lived, for one application, and tied to no user (`subjectKind: 'none'`),
 * so revoking an admin's tokens, changing their password or removing them leaves these working.
 * `read` tokens get the read ceiling, which `auth/authorize.ts` applies to every write.
 */
export async function createApiToken(
  deps: Pick<Deps, 'tokens' | 'repositories'>,
  application: ApplicationRecord,
  input: NewApiToken,
  createdBy: Principal,
): Promise<IssuedToken<'api'>> {
  // Created by a client (its secret, or a token obtained with it): rotating that secret revokes it.
  const clientId = await clientIdBehind(deps.repositories, createdBy);
  const issued = await deps.tokens.issue('api', {
    organizationId: application.organizationId,
    applicationId: application.id,
    ceiling: input.access === 'read' ? 'read' : 'write',
    clientId,
    name: input.name,
    lifetimeMs: input.expires_in === undefined ? null : input.expires_in * 1000,
  });
  await keepIfSecretStillCurrent(deps, createdBy, issued.token);
  return issued;
}

/** The application's live API tokens, oldest first. */
export function listApiTokens(deps: Pick<Deps, 'tokens'>, application: ApplicationRecord): Promise<TokenRecord[]> {
  return deps.tokens.list({ applicationId: application.id, kind: 'api' });
}

/** Revokes one of the application's API tokens by id; effective on the very next request. */
export async function revokeApiToken(deps: Pick<Deps, 'tokens'>, application: ApplicationRecord, id: number): Promise<TokenRecord> {
  const token = await deps.tokens.findById(id);
  if (!token || token.kind !== 'api' || token.applicationId !== application.id || deps.tokens.liveness(token) === 'revoked') {
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
