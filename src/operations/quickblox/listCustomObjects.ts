import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../../http/operation-types.js';
import { collectionOfClass, customObjectView } from '../../quickblox/custom-objects.js';
import { sessionOf } from './session.js';

export const listCustomObjects = (deps: Deps): OperationHandler<'listCustomObjects'> => async (c, ctx) => {
  const { className } = c.request.params;
  const collection = collectionOfClass(className);
  const skip = c.request.query.skip ?? 0;
  const limit = c.request.query.limit ?? 100;
  const entities = await deps.repositories.entities.listFrom(sessionOf(ctx).applicationId, collection, skip, limit);
  return { status: 200, body: { class_name: className, skip, limit, items: entities.map(customObjectView) } };
};
