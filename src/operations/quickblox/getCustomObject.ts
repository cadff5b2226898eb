import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { customObjectView, findCustomObject } from '../../quickblox/custom-objects.js';
import { sessionOf } from '../quickblox-session.js';

/** QuickBlox answers a read by id as a list (its `{id}` may name several). */
export const getCustomObject = (deps: Deps): OperationHandler<'getCustomObject'> => async (c, ctx) => {
  const { className, id } = c.request.params;
  const entity = await findCustomObject(deps, sessionOf(ctx).applicationId, className, id);
  return { status: 200, body: { class_name: className, skip: 0, limit: 1, items: [customObjectView(entity)] } };
};
