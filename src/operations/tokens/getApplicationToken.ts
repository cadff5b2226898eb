import type { Deps } from '../../deps.js';
import { grantApplicationToken } from '../../usergrid/token-endpoint.js';
import type { OperationHandler } from '../types.js';
import { applicationOf, principalOf } from '../context.js';

/** `GET /{org}/{app}/token`: the grants of the POST, from the query string. */
export const getApplicationToken = (deps: Deps): OperationHandler<'getApplicationToken'> => async (c, ctx) => {
  const { grant_type, username, password, ttl } = c.request.query;
  const call = { request: { grant_type, username, password, ttl }, principal: principalOf(ctx), ip: ctx.ip };
  return { status: 200, body: await grantApplicationToken(deps, call, applicationOf(ctx).application) };
};
