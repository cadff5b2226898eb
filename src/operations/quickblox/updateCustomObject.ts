import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { customObjectView, findCustomObject, updateCustomObject as update } from '../../quickblox/custom-objects.js';
import { sessionOf } from '../quickblox-session.js';

/** The authorization step let only the object's creator through. */
export const updateCustomObject = (deps: Deps): OperationHandler<'updateCustomObject'> => async (c, ctx) => {
  const { className, id } = c.request.params;
  const entity = await findCustomObject(deps, sessionOf(ctx).applicationId, className, id);
  return { status: 200, body: customObjectView(await update(deps, entity, c.request.requestBody)) };
};
