import type { SubjectKind } from '../db/repositories/tokens.js';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';

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
export async function revokeTokenOf(deps: Pick<Deps, 'tokens'>, owner: TokenOwner, value: string): Promise<void> {
  const found = await deps.tokens.lookup(value);
  if (found.status === 'unknown' || found.token.subjectKind !== owner.subjectKind || found.token.subjectId !== owner.subjectId) {
    throw new NotFound('No such token for this user', 'token_not_found');
  }
  await deps.tokens.revokeOne(found.token);
}
