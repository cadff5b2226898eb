import type { Deps } from '../../deps.js';
import { grantManagementToken } from '../../usergrid/token-endpoint.js';
import type { OperationHandler } from '../types.js';
import { principalOf } from '../context.js';

/** `GET /management/token`: the grants of the POST, from the query string (a query client pair is the security step's). */
export const getManagementToken = (deps: Deps): OperationHandler<'getManagementToken'> => async (c, ctx) => {
  const { grant_type, username, password, ttl } = c.request.query;
  const body = await grantManagementToken(deps, { request: { grant_type, username, password, ttl }, principal: principalOf(ctx), ip: ctx.ip });
  return { status: 200, body };
};
