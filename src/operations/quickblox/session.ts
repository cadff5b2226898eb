import type { TokenRecord } from '../../db/repositories/tokens.js';
import type { Deps } from '../../deps.js';
import { NotFound } from '../../errors.js';
import type { ApplicationRecord } from '../../db/repositories/applications.js';
import type { TesseraContext } from '../../http/operation-types.js';
import { presentedTokenOf, principalOf } from '../context.js';

/** The session a QuickBlox route runs in: the security step authenticated it by its `QB-Token`. */
export function sessionOf(ctx: TesseraContext): { token: TokenRecord; value: string; applicationId: number; organizationId: number; userId?: number } {
  const principal = principalOf(ctx);
  const token = principal.credential.token;
  const value = presentedTokenOf(ctx, ['QBToken']);
  if (principal.credential.scheme !== 'QBToken' || !token || value === undefined || principal.applicationId === undefined || principal.organizationId === undefined) {
    throw new Error('this operation runs in a QuickBlox session');
  }
  return { token, value, applicationId: principal.applicationId, organizationId: principal.organizationId, userId: principal.userId };
}

/** The session's application, for the operations that create users. */
export async function applicationOfSession(deps: Pick<Deps, 'repositories'>, ctx: TesseraContext): Promise<ApplicationRecord> {
  const application = await deps.repositories.applications.findById(sessionOf(ctx).applicationId);
  if (!application) throw new NotFound('No application found');
  return application;
}
