import type { Deps } from '../../deps.js';
import { findAdminUserAs } from '../../domain/admin-users.js';
import { revokeTokensOf } from '../../usergrid/token-revocation.js';
import type { OperationHandler, TesseraContext } from '../types.js';
import { principalOf } from '../context.js';
import { managementRevocationAnswer } from '../../usergrid/envelopes.js';
import { recordAdminAccountAction } from '../audit.js';

/**
 * Every token of the admin stops working (API tokens they made are not theirs and keep working);
 * shared by POST and PUT, which Usergrid accepts alike.
 */
export const revokeEveryTokenOfAdmin = (deps: Deps) => async (c: { request: { params: { user: string } } }, ctx: TesseraContext) => {
  const admin = await findAdminUserAs(deps, c.request.params.user, principalOf(ctx));
  const count = await revokeTokensOf(deps, { subjectKind: 'admin', subjectId: admin.id });
  await recordAdminAccountAction(deps, ctx, admin, { kind: 'user-tokens.revoked', details: { revoked: count, admin_user: admin.username } });
  return { status: 200 as const, body: managementRevocationAnswer(ctx, deps.clock, 'revoked user tokens') };
};

/** `POST /management/users/{user}/revoketokens`. */
export const revokeAdminUserTokens = (deps: Deps): OperationHandler<'revokeAdminUserTokens'> => revokeEveryTokenOfAdmin(deps);

/** `PUT` of `revokeAdminUserTokens`, which Usergrid accepts alike: its own operationId in the spec, the same handling. */
export const revokeAdminUserTokensByPut = (deps: Deps): OperationHandler<'revokeAdminUserTokensByPut'> => revokeEveryTokenOfAdmin(deps);
