import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { findUserByEmail, quickbloxUserView } from '../../quickblox/users.js';
import { sessionOf } from '../quickblox-session.js';

export const getQuickBloxUserByEmail = (deps: Deps): OperationHandler<'getQuickBloxUserByEmail'> => async (c, ctx) => {
  const user = await findUserByEmail(deps, sessionOf(ctx).applicationId, c.request.query.email);
  return { status: 200, body: { user: quickbloxUserView(user) } };
};
