import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { InvalidToken } from '../../errors.js';
import { setSessionUser } from '../../quickblox/sessions.js';
import { storedSessionOf } from '../quickblox-session.js';

/**
 * The session goes back to being an application session; 200 with an empty body (reference §4).
 * Whoever signed in since the session was read is signed out too: the answer stays true.
 */
export const logout = (deps: Deps): OperationHandler<'logout'> => async (_c, ctx) => {
  // Destroyed since it was read: as if that had happened a moment earlier.
  if (!(await setSessionUser(deps, await storedSessionOf(deps, ctx), null))) throw new InvalidToken('Unable to authenticate: the QuickBlox session does not exist');
  return { status: 200, body: undefined };
};
