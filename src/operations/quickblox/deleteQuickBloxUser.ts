import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { deleteSignedInUser } from '../quickblox-session.js';

/**
 * The authorization step let only the user signed in to the session through, on their own record.
 * Their sessions and tokens end with them, this one included; 200 with an empty body, as QuickBlox.
 */
export const deleteQuickBloxUser = (deps: Deps): OperationHandler<'deleteQuickBloxUser'> => async (_c, ctx) => {
  await deleteSignedInUser(deps, ctx);
  return { status: 200, body: undefined };
};
