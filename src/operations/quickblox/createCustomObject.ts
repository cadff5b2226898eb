import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { createCustomObject as create, customObjectView } from '../../quickblox/custom-objects.js';
import { sessionOf } from '../quickblox-session.js';

/** Only a user session gets here (an application session is read-only); its user is the creator. */
export const createCustomObject = (deps: Deps): OperationHandler<'createCustomObject'> => async (c, ctx) => {
  const { applicationId, userId } = sessionOf(ctx);
  const entity = await create(deps, applicationId, c.request.params.className, userId ?? 0, c.request.requestBody);
  return { status: 201, body: customObjectView(entity) };
};
