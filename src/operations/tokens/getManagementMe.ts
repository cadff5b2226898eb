import type { Deps } from '../../deps.js';
import { managementMe } from '../../usergrid/token-endpoint.js';
import type { OperationHandler } from '../types.js';
import { presentedAccessToken, principalOf } from '../context.js';

/** `GET /management/me`: the caller's own admin token and account, or `GET /management/token` for anyone else. */
export const getManagementMe = (deps: Deps): OperationHandler<'getManagementMe'> => async (c, ctx) => {
  const { grant_type, username, password, ttl } = c.request.query;
  const call = { request: { grant_type, username, password, ttl }, principal: principalOf(ctx), ip: ctx.ip };
  return { status: 200, body: await managementMe(deps, call, presentedAccessToken(ctx)) };
};
