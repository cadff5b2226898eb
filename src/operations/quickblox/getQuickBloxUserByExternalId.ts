import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { findUserByExternalId, quickbloxUserView } from '../../quickblox/users.js';
import { sessionOf } from '../quickblox-session.js';

export const getQuickBloxUserByExternalId = (deps: Deps): OperationHandler<'getQuickBloxUserByExternalId'> => async (c, ctx) => {
  const user = await findUserByExternalId(deps, sessionOf(ctx).applicationId, Number(c.request.params.id));
  return { status: 200, body: { user: quickbloxUserView(user) } };
};
