import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { quickbloxUserView, signUp } from '../../quickblox/users.js';
import { applicationOfSession } from '../quickblox-session.js';

export const createQuickBloxUser = (deps: Deps): OperationHandler<'createQuickBloxUser'> => async (c, ctx) => {
  const user = await signUp(deps, await applicationOfSession(deps, ctx), c.request.requestBody.user);
  return { status: 201, body: { user: quickbloxUserView(user) } };
};
