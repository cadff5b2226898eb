import type { Deps } from '../../deps.js';
import { NotFound } from '../../errors.js';
import type { OperationHandler } from '../types.js';
import { deleteAppUser } from '../../domain/app-users.js';
import { sessionOf } from '../quickblox-session.js';

/**
 * The authorization step let only the user signed in to the session through, on their own record.
 * Their sessions and tokens end with them, this one included; 200 with an empty body, as QuickBlox.
 */
export const deleteQuickBloxUser = (deps: Deps): OperationHandler<'deleteQuickBloxUser'> => async (_c, ctx) => {
  const { userId } = sessionOf(ctx);
  const user = userId === undefined ? undefined : await deps.repositories.appUsers.findById(userId);
  if (!user) throw new NotFound("Couldn't find user");
  await deleteAppUser(deps, user);
  return { status: 200, body: undefined };
};
