import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { authenticateOAuthClient, presentedOAuthClient } from '../../oauth/client-auth.js';
import { issuerOf } from '../../oauth/issuer.js';
import { revokeOAuthToken } from '../../oauth/revocation.js';
import { tokenReference } from '../../oauth/token-reference.js';

/** `POST /oauth/revoke` (RFC 7009): client authentication → revocation. */
export const oauthRevoke = (deps: Deps): OperationHandler<'oauthRevoke'> => async (c, ctx) => {
  issuerOf(deps.config, ctx);
  const params = tokenReference(c.request.requestBody as Record<string, unknown>);
  const client = await authenticateOAuthClient(deps, presentedOAuthClient(ctx, params), ctx.ip);
  await revokeOAuthToken(deps, client, params.token, params.token_type_hint);
  return { status: 200, body: undefined };
};
