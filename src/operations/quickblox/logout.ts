import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { setSessionUser } from '../../quickblox/sessions.js';
import { storedSessionOf } from '../quickblox-session.js';

/** The session goes back to being an application session; 200 with an empty body (reference §4). */
export const logout = (deps: Deps): OperationHandler<'logout'> => async (_c, ctx) => {
  await setSessionUser(deps, await storedSessionOf(deps, ctx), null);
  return { status: 200, body: undefined };
};
