import type { Deps } from '../../deps.js';
import { apiTokenView, listApiTokens as listTokens } from '../../domain/api-tokens.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';

/** `GET /management/orgs/{org}/apps/{app}/api-tokens`: the live API tokens, without their values. */
export const listApiTokens = (deps: Deps): OperationHandler<'listApiTokens'> => async (_c, ctx) => {
  const tokens = await listTokens(deps, applicationOf(ctx).application);
  return { status: 200, body: { action: 'get api tokens', status: 'ok', data: { api_tokens: tokens.map((t) => apiTokenView(deps.tokens, t)) } } };
};
