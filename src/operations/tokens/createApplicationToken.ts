import type { Deps } from '../../deps.js';
import { grantApplicationToken } from '../../usergrid/token-endpoint.js';
import type { OperationHandler } from '../types.js';
import { applicationOf, principalOf } from '../context.js';

/** `POST /{org}/{app}/token`: an application user's password, or a client's id and secret, for an access token. */
export const createApplicationToken = (deps: Deps): OperationHandler<'createApplicationToken'> => async (c, ctx) => {
  const call = { request: c.request.requestBody, principal: principalOf(ctx), ip: ctx.ip };
  return { status: 200, body: await grantApplicationToken(deps, call, applicationOf(ctx).application) };
};
