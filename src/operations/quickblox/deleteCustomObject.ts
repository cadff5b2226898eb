import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { findCustomObject } from '../../quickblox/custom-objects.js';
import { sessionOf } from '../quickblox-session.js';

/** The authorization step let only the object's creator through; 200 with an empty body, as QuickBlox. */
export const deleteCustomObject = (deps: Deps): OperationHandler<'deleteCustomObject'> => async (c, ctx) => {
  const { className, id } = c.request.params;
  const entity = await findCustomObject(deps, sessionOf(ctx).applicationId, className, id);
  await deps.repositories.entities.delete(entity.id);
  return { status: 200, body: undefined };
};
