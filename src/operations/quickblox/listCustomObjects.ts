import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { collectionOfClass, customObjectView } from '../../quickblox/custom-objects.js';
import { sessionOf } from '../quickblox-session.js';

export const listCustomObjects = (deps: Deps): OperationHandler<'listCustomObjects'> => async (c, ctx) => {
  const { className } = c.request.params;
  const collection = collectionOfClass(className);
  const skip = c.request.query.skip ?? 0;
  const limit = c.request.query.limit ?? 100;
  const page = await deps.repositories.entities.listFrom(sessionOf(ctx).applicationId, collection, skip, limit);
  // A page cut short by its byte bound says how many it holds as its `limit`, so a client that
  // continues at `skip + limit` misses nothing.
  const held = page.more ? page.items.length : limit;
  return { status: 200, body: { class_name: className, skip, limit: held, items: page.items.map(customObjectView) } };
};
