import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { findUserByLogin, quickbloxUserView } from '../../quickblox/users.js';
import { sessionOf } from '../quickblox-session.js';

export const getQuickBloxUserByLogin = (deps: Deps): OperationHandler<'getQuickBloxUserByLogin'> => async (c, ctx) => {
  const user = await findUserByLogin(deps, sessionOf(ctx).applicationId, c.request.query.login);
  return { status: 200, body: { user: quickbloxUserView(user) } };
};
