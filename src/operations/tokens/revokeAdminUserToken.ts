import type { Deps } from '../../deps.js';
import { findAdminUserAs } from '../../domain/admin-users.js';
import { revokeTokenOf } from '../../usergrid/token-revocation.js';
import type { OperationHandler, TesseraContext } from '../types.js';
import { principalOf } from '../context.js';
import { managementRevocationAnswer } from '../../usergrid/envelopes.js';
import { recordAdminAccountAction } from '../audit.js';

/** One token (`?token=`) of the admin stops working; shared by POST and PUT, which Usergrid accepts alike. */
export const revokeOneTokenOfAdmin = (deps: Deps) => async (c: { request: { params: { user: string }; query: { token: string } } }, ctx: TesseraContext) => {
  const admin = await findAdminUserAs(deps, c.request.params.user, principalOf(ctx));
  const revoked = await revokeTokenOf(deps, { subjectKind: 'admin', subjectId: admin.id }, c.request.query.token);
  await recordAdminAccountAction(deps, ctx, admin, { kind: 'token.revoked', details: { token_id: revoked.id, token_kind: revoked.kind, admin_user: admin.username } });
  return { status: 200 as const, body: managementRevocationAnswer(ctx, deps.clock, 'revoked user token') };
};

/** `POST /management/users/{user}/revoketoken?token=…`. */
export const revokeAdminUserToken = (deps: Deps): OperationHandler<'revokeAdminUserToken'> => revokeOneTokenOfAdmin(deps);

/** `PUT` of `revokeAdminUserToken`, which Usergrid accepts alike: its own operationId in the spec, the same handling. */
export const revokeAdminUserTokenByPut = (deps: Deps): OperationHandler<'revokeAdminUserTokenByPut'> => revokeOneTokenOfAdmin(deps);
