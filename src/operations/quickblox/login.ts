import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { FieldRefused } from '../../quickblox/errors.js';
import { checkUserCredentials, setSessionUser } from '../../quickblox/sessions.js';
import { quickbloxUserView } from '../../quickblox/users.js';
import { sessionOf, storedSessionOf } from '../quickblox-session.js';

export const login = (deps: Deps): OperationHandler<'login'> => async (c, ctx) => {
  const { applicationId, organizationId } = sessionOf(ctx);
  const credentials = c.request.requestBody;
  if (credentials.provider !== undefined) throw new FieldRefused('provider', 'is not supported');
  const user = await checkUserCredentials(deps, { id: applicationId, organizationId }, credentials, ctx.ip);
  await setSessionUser(deps, await storedSessionOf(deps, ctx), user);
  return { status: 200, body: { user: quickbloxUserView(user) } };
};
