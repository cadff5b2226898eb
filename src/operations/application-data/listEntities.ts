import type { Deps } from '../../deps.js';
import { checkCollection } from '../../domain/entities.js';
import { page } from '../../domain/paging.js';
import { entityView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';

export const listEntities = (deps: Deps): OperationHandler<'listEntities'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const { collection } = c.request.params;
  checkCollection(collection);
  const result = await page(
    (afterId, limit) => deps.repositories.entities.list(application.id, collection, afterId, limit),
    c.request.query.cursor,
    c.request.query.limit,
  );
  return { status: 200, body: envelope(ctx, deps.clock, 'get', `/${collection}`, result.items.map(entityView), result.cursor) };
};
