import type { Deps } from '../../deps.js';
import { NotFound } from '../../errors.js';
import type { OperationHandler } from '../types.js';
import { quickbloxUserView } from '../../quickblox/users.js';
import { sessionOf } from '../quickblox-session.js';

export const getQuickBloxUser = (deps: Deps): OperationHandler<'getQuickBloxUser'> => async (c, ctx) => {
  const user = await deps.repositories.appUsers.findById(Number(c.request.params.id));
  if (!user || user.applicationId !== sessionOf(ctx).applicationId) throw new NotFound("Couldn't find user");
  return { status: 200, body: { user: quickbloxUserView(user) } };
};
