import type { Deps } from '../../deps.js';
import { managementMe } from '../../usergrid/token-endpoint.js';
import type { OperationHandler } from '../types.js';
import { presentedAccessToken, principalOf } from '../context.js';

/** `POST /management/me`: as the GET, or `POST /management/token` for anyone but an admin with a token. */
export const createManagementMe = (deps: Deps): OperationHandler<'createManagementMe'> => async (c, ctx) => {
  const call = { request: c.request.requestBody, principal: principalOf(ctx), ip: ctx.ip };
  return { status: 200, body: await managementMe(deps, call, presentedAccessToken(ctx)) };
};
