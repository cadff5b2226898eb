import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';
import type { SubjectKind } from '../tokens/fields.js';
import type { TokenRecord } from '../tokens/kinds.js';

/** Whose tokens: an application user's (`user`) or an admin user's (`admin`). */
export interface TokenOwner {
  subjectKind: Extract<SubjectKind, 'user' | 'admin'>;
  subjectId: number;
}

/** Revokes every token the owner holds (logout everywhere); effective on the very next request. */
export function revokeTokensOf(deps: Pick<Deps, 'tokens'>, owner: TokenOwner): Promise<number> {
  return deps.tokens.revokeWhere({ subjectKind: owner.subjectKind, subjectId: owner.subjectId });
}

/**
 * Revokes one token of the owner's (logout). A token that is unknown, already revoked or someone
 * else's gets one and the same 404, so the endpoint tells nothing about tokens that are not the
 * owner's (Usergrid does not check the owner at all, reference §4).
 */
export async function revokeTokenOf(deps: Pick<Deps, 'tokens'>, owner: TokenOwner, value: string): Promise<TokenRecord> {
  const found = await deps.tokens.lookup(value);
  if (found.status === 'unknown' || found.token.subjectKind !== owner.subjectKind || found.token.subjectId !== owner.subjectId) {
    throw new NotFound('No such token for this user', 'token_not_found');
  }
  await deps.tokens.revokeOne(found.token);
  return found.token;
}

/**
 * Everything obtained with an application's client secret or QuickBlox auth secret, revoked when
 * they are rotated (what one does after a leak): the tokens of its client, and what was minted
 * with them (`clientIdBehind`), and every QuickBlox session of the application, a user's too,
 * since each was opened by a request signed with the auth secret.
 */
export async function revokeObtainedWithApplicationSecrets(deps: Pick<Deps, 'tokens'>, application: ApplicationRecord): Promise<number> {
  const fromClient = await deps.tokens.revokeWhere({ clientId: application.clientId });
  const sessions = await deps.tokens.revokeWhere({ applicationId: application.id, kind: 'session' });
  return fromClient + sessions;
}

/** Everything obtained with an organization's client secret (its tokens, and what was minted with them), revoked when it is rotated. */
export function revokeObtainedWithOrganizationSecret(deps: Pick<Deps, 'tokens'>, organization: OrganizationRecord): Promise<number> {
  return deps.tokens.revokeWhere({ clientId: organization.clientId });
}
