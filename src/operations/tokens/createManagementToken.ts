import type { Deps } from '../../deps.js';
import { grantManagementToken } from '../../usergrid/token-endpoint.js';
import type { OperationHandler } from '../types.js';
import { principalOf } from '../context.js';

/** `POST /management/token`: an admin's password, or a client's id and secret, for an access token. */
export const createManagementToken = (deps: Deps): OperationHandler<'createManagementToken'> => async (c, ctx) => {
  const body = await grantManagementToken(deps, { request: c.request.requestBody, principal: principalOf(ctx), ip: ctx.ip });
  return { status: 200, body };
};
