import type { Deps } from '../../deps.js';
import { NotFound } from '../../errors.js';
import type { OperationHandler } from '../types.js';
import { quickbloxUserView, updateOwnUser } from '../../quickblox/users.js';
import { sessionOf } from '../quickblox-session.js';
import { recordAction } from '../audit.js';

/** The authorization step let only the user signed in to the session through, on their own record. */
export const updateQuickBloxUser = (deps: Deps): OperationHandler<'updateQuickBloxUser'> => async (c, ctx) => {
  const { userId } = sessionOf(ctx);
  const user = userId === undefined ? undefined : await deps.repositories.appUsers.findById(userId);
  if (!user) throw new NotFound("Couldn't find user");
  const changed = await updateOwnUser(deps, user, c.request.requestBody.user, ctx.ip);
  if (c.request.requestBody.user.password !== undefined) {
    const organizationId = ctx.state.application?.organizationId ?? (await deps.repositories.applications.findById(user.applicationId))?.organizationId;
    if (organizationId !== undefined) {
      await recordAction(deps, ctx, { kind: 'user.password-changed', organizationId, applicationId: user.applicationId, subject: user.uuid, details: { username: changed.username, by_owner: true } });
    }
  }
  return { status: 200, body: { user: quickbloxUserView(changed) } };
};
