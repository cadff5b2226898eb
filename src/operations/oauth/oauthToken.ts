import type { Deps } from '../../deps.js';
import { UnauthorizedClient } from '../../errors.js';
import type { OperationHandler } from '../types.js';
import { authenticateOAuthClient, presentedOAuthClient } from '../../oauth/client-auth.js';
import { keepIfClientStillRegistered } from '../../oauth/clients.js';
import { tokenParams } from '../../oauth/grants/grant.js';
import { grants, grantTypeOf } from '../../oauth/grants/index.js';
import { issuerOf } from '../../oauth/issuer.js';

/**
 * `POST /oauth/token` (RFC 6749 §3.2), in named steps: parameters → grant type → client
 * authentication → may this client use this grant → the grant → is the client still registered.
 */
export const oauthToken = (deps: Deps): OperationHandler<'oauthToken'> => async (c, ctx) => {
  issuerOf(deps.config, ctx);
  const params = tokenParams(c.request.requestBody as Record<string, unknown>);
  const grantType = grantTypeOf(params.grant_type);
  const client = await authenticateOAuthClient(deps, presentedOAuthClient(ctx, params), ctx.ip);
  if (!client.grantTypes.includes(grantType)) throw new UnauthorizedClient(`This client may not use grant_type=${grantType}`);
  const body = await grants[grantType]({ deps, client, params, ip: ctx.ip });
  await keepIfClientStillRegistered(deps, client);
  return { status: 200, body };
};
