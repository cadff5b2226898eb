import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { deleteSignedInUser } from '../quickblox-session.js';

/**
 * `deleteQuickBloxUser` at the path the SDKs use (`QB.users.delete({external})`). The authorization
 * step resolved the external id and let through only the user signed in to the session, holding it;
 * the one deleted is that signed-in user, never a user looked up again by the id in the path.
 */
export const deleteQuickBloxUserByExternal = (deps: Deps): OperationHandler<'deleteQuickBloxUserByExternal'> => async (_c, ctx) => {
  await deleteSignedInUser(deps, ctx);
  return { status: 200, body: undefined };
};
