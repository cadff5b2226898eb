import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { FieldRefused, SessionChanged } from '../../quickblox/errors.js';
import { checkUserCredentials, keepIfUserUnchanged, setSessionUser } from '../../quickblox/sessions.js';
import { quickbloxUserView } from '../../quickblox/users.js';
import { sessionOf, storedSessionOf } from '../quickblox-session.js';

export const login = (deps: Deps): OperationHandler<'login'> => async (c, ctx) => {
  const { applicationId, organizationId, userId } = sessionOf(ctx);
  const credentials = c.request.requestBody;
  if (credentials.provider !== undefined) throw new FieldRefused('provider', 'is not supported');
  const user = await checkUserCredentials(deps, { id: applicationId, organizationId }, credentials, ctx.ip);
  const session = await storedSessionOf(deps, ctx);
  // Two sign-ins sent together on one session: one wins, the other is told, rather than both
  // answering 200 with a user the session may no longer be signed in as. The session must still be
  // as this request found it, both after the password check and when it is written.
  if (session.subjectId !== (userId ?? null) || !(await setSessionUser(deps, session, user))) throw new SessionChanged();
  // A sign-in racing a password change or deactivation: the session is revoked, not left signed in.
  await keepIfUserUnchanged(deps, user, () => deps.tokens.revokeOne(session));
  return { status: 200, body: { user: quickbloxUserView(user) } };
};
