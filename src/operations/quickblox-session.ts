import type { Deps } from '../deps.js';
import { deleteAppUser } from '../domain/app-users.js';
import { InvalidToken, NotFound } from '../errors.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { TesseraContext } from './types.js';
import type { TokenRecord } from '../tokens/kinds.js';
import type { TokenReference } from '../tokens/token-store.js';
import { presentedTokenOf, principalOf } from './context.js';

/** The session a QuickBlox route runs in: the security step authenticated it by its `QB-Token`. */
export function sessionOf(ctx: TesseraContext): { token: TokenReference; value: string; applicationId: number; organizationId: number; userId?: number } {
  const principal = principalOf(ctx);
  const token = principal.credential.token;
  const value = presentedTokenOf(ctx, ['QBToken']);
  if (principal.credential.scheme !== 'QBToken' || !token || value === undefined || principal.applicationId === undefined || principal.organizationId === undefined) {
    throw new Error('this operation runs in a QuickBlox session');
  }
  return { token, value, applicationId: principal.applicationId, organizationId: principal.organizationId, userId: principal.userId };
}

/** The stored session, for the operations that show or change it (the token store still has it cached from the security step). */
export async function storedSessionOf(deps: Pick<Deps, 'tokens'>, ctx: TesseraContext): Promise<TokenRecord<'session'>> {
  const { token, value } = sessionOf(ctx);
  const stored = await deps.tokens.recordOf(token, value);
  // Destroyed since the security step let the request in: as if it had been a moment earlier.
  if (stored?.kind !== 'session') throw new InvalidToken('Unable to authenticate: the QuickBlox session does not exist');
  return stored;
}

/** The session's application, for the operations that create users. */
export async function applicationOfSession(deps: Pick<Deps, 'repositories'>, ctx: TesseraContext): Promise<ApplicationRecord> {
  const application = await deps.repositories.applications.findById(sessionOf(ctx).applicationId);
  if (!application) throw new NotFound('No application found');
  return application;
}

/**
 * Deletes the user signed in to the session, whatever record the path named: the authorization step
 * let only them through, on their own record, and the path is not read again here. Their sessions
 * and tokens end with them, this one included.
 */
export async function deleteSignedInUser(deps: Deps, ctx: TesseraContext): Promise<void> {
  const { userId } = sessionOf(ctx);
  const user = userId === undefined ? undefined : await deps.repositories.appUsers.findById(userId);
  if (!user) throw new NotFound("Couldn't find user");
  await deleteAppUser(deps, user);
}
