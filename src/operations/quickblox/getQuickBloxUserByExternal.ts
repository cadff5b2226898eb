import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { findUserByExternalId, quickbloxUserView } from '../../quickblox/users.js';
import { sessionOf } from '../quickblox-session.js';

/** `getQuickBloxUserByExternalId` at the path the SDKs use (`QB.users.get({external})`). */
export const getQuickBloxUserByExternal = (deps: Deps): OperationHandler<'getQuickBloxUserByExternal'> => async (c, ctx) => {
  const user = await findUserByExternalId(deps, sessionOf(ctx).applicationId, Number(c.request.params.id));
  return { status: 200, body: { user: quickbloxUserView(user) } };
};
