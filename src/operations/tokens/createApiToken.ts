import type { Deps } from '../../deps.js';
import { apiTokenView, createApiToken as createToken } from '../../domain/api-tokens.js';
import type { OperationHandler } from '../types.js';
import { applicationOf, principalOf } from '../context.js';

/** `POST /management/orgs/{org}/apps/{app}/api-tokens`: a new API token; its value is shown only here. */
export const createApiToken = (deps: Deps): OperationHandler<'createApiToken'> => async (c, ctx) => {
  const { value, token } = await createToken(deps, applicationOf(ctx).application, c.request.requestBody, principalOf(ctx));
  return {
    status: 200,
    body: { action: 'create api token', status: 'ok', data: { api_token: apiTokenView(deps.tokens, token), access_token: value } },
  };
};
