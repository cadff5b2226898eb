import type { Deps } from '../../deps.js';
import { findAppUserAs } from '../../domain/app-users.js';
import { revokeTokensOf } from '../../usergrid/token-revocation.js';
import type { OperationHandler, TesseraContext } from '../types.js';
import { applicationOf, principalOf } from '../context.js';
import { applicationRevocationAnswer } from '../../usergrid/envelopes.js';
import { recordAction } from '../audit.js';

/** Every token of the user stops working (the body is ignored); shared by POST and PUT, which Usergrid accepts alike. */
export const revokeEveryTokenOfUser = (deps: Deps) => async (c: { request: { params: { user: string } } }, ctx: TesseraContext) => {
  const user = await findAppUserAs(deps, applicationOf(ctx).application, c.request.params.user, principalOf(ctx));
  const count = await revokeTokensOf(deps, { subjectKind: 'user', subjectId: user.id });
  await recordAction(deps, ctx, { kind: 'user-tokens.revoked', subject: user.uuid, details: { revoked: count } });
  return { status: 200 as const, body: applicationRevocationAnswer(ctx, deps.clock, 'revoked user tokens') };
};

/** `POST /{org}/{app}/users/{user}/revoketokens`. */
export const revokeUserTokens = (deps: Deps): OperationHandler<'revokeUserTokens'> => revokeEveryTokenOfUser(deps);

/** `PUT` of `revokeUserTokens`, which Usergrid accepts alike: its own operationId in the spec, the same handling. */
export const revokeUserTokensByPut = (deps: Deps): OperationHandler<'revokeUserTokensByPut'> => revokeEveryTokenOfUser(deps);
