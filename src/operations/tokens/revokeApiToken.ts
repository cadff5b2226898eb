import type { Deps } from '../../deps.js';
import { apiTokenView, revokeApiToken as revokeToken } from '../../domain/api-tokens.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';
import { recordAction } from '../audit.js';

/** `DELETE /management/orgs/{org}/apps/{app}/api-tokens/{apiToken}`: the token fails on the very next request. */
export const revokeApiToken = (deps: Deps): OperationHandler<'revokeApiToken'> => async (c, ctx) => {
  const token = await revokeToken(deps, applicationOf(ctx).application, Number(c.request.params.apiToken));
  await recordAction(deps, ctx, { kind: 'api-token.revoked', subject: String(token.id), details: { name: token.name } });
  return { status: 200, body: { action: 'revoke api token', status: 'ok', data: { api_token: apiTokenView(deps.tokens, token) } } };
};
