import type { Deps } from '../../deps.js';
import { findEntity, updateEntity as update } from '../../domain/entities.js';
import { entityView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';

export const updateEntity = (deps: Deps): OperationHandler<'updateEntity'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const { collection, entity: ref } = c.request.params;
  const entity = await update(deps, application, await findEntity(deps, application, collection, ref), c.request.requestBody);
  return { status: 200, body: envelope(ctx, deps.clock, 'put', `/${collection}/${entity.uuid}`, [entityView(entity)]) };
};
