import type { Deps } from '../../deps.js';
import { createEntity as create } from '../../domain/entities.js';
import { entityView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';

export const createEntity = (deps: Deps): OperationHandler<'createEntity'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const { collection } = c.request.params;
  const entity = await create(deps, application, collection, c.request.requestBody);
  return { status: 200, body: envelope(ctx, deps.clock, 'post', `/${collection}`, [entityView(entity)]) };
};
