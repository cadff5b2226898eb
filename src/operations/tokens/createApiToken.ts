import type { Deps } from '../../deps.js';
import { apiTokenView, createApiToken as createToken } from '../../domain/api-tokens.js';
import type { OperationHandler } from '../types.js';
import { applicationOf, principalOf } from '../context.js';
import { recordAction } from '../audit.js';

/** `POST /management/orgs/{org}/apps/{app}/api-tokens`: a new API token; its value is shown only here. */
export const createApiToken = (deps: Deps): OperationHandler<'createApiToken'> => async (c, ctx) => {
  const { value, token } = await createToken(deps, applicationOf(ctx).application, c.request.requestBody, principalOf(ctx));
  await recordAction(deps, ctx, { kind: 'api-token.created', subject: String(token.id), details: { name: token.name, access: token.ceiling === 'read' ? 'read' : 'full' } });
  return {
    status: 200,
    body: { action: 'create api token', status: 'ok', data: { api_token: apiTokenView(deps.tokens, token), access_token: value } },
  };
};
