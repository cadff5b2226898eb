import type { Deps } from '../../deps.js';
import { reservedCollections } from '../../domain/entities.js';
import { page } from '../../domain/paging.js';
import { entityView } from '../../domain/views.js';
import { ApiError } from '../../errors.js';
import type { OperationHandler } from '../../http/operation-types.js';
import { applicationOf } from '../context.js';
import { envelope } from './envelope.js';

export const listEntities = (deps: Deps): OperationHandler<'listEntities'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const { collection } = c.request.params;
  if (reservedCollections.has(collection)) throw new ApiError(400, 'illegal_argument', `"${collection}" is not a collection of entities`);
  const result = await page(
    (afterId, limit) => deps.repositories.entities.list(application.id, collection, afterId, limit),
    c.request.query.cursor,
    c.request.query.limit,
  );
  return { status: 200, body: envelope(ctx, deps.clock, 'get', `/${collection}`, result.items.map(entityView), result.cursor) };
};
