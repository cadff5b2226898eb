import type { Deps } from '../../deps.js';
import { findAppUserAs } from '../../domain/app-users.js';
import { revokeTokenOf } from '../../usergrid/token-revocation.js';
import type { OperationHandler, TesseraContext } from '../types.js';
import { applicationOf, principalOf } from '../context.js';
import { applicationRevocationAnswer } from '../../usergrid/envelopes.js';
import { recordAction } from '../audit.js';

/** One token (`?token=`) of the user stops working; shared by POST and PUT, which Usergrid accepts alike. */
export const revokeOneTokenOfUser = (deps: Deps) => async (c: { request: { params: { user: string }; query: { token: string } } }, ctx: TesseraContext) => {
  const user = await findAppUserAs(deps, applicationOf(ctx).application, c.request.params.user, principalOf(ctx));
  const revoked = await revokeTokenOf(deps, { subjectKind: 'user', subjectId: user.id }, c.request.query.token);
  await recordAction(deps, ctx, { kind: 'token.revoked', subject: user.uuid, details: { token_id: revoked.id, token_kind: revoked.kind } });
  return { status: 200 as const, body: applicationRevocationAnswer(ctx, deps.clock, 'revoked user token') };
};

/** `POST /{org}/{app}/users/{user}/revoketoken?token=…`. */
export const revokeUserToken = (deps: Deps): OperationHandler<'revokeUserToken'> => revokeOneTokenOfUser(deps);

/** `PUT` of `revokeUserToken`, which Usergrid accepts alike: its own operationId in the spec, the same handling. */
export const revokeUserTokenByPut = (deps: Deps): OperationHandler<'revokeUserTokenByPut'> => revokeOneTokenOfUser(deps);
