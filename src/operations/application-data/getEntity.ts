import type { Deps } from '../../deps.js';
import { findEntity } from '../../domain/entities.js';
import { entityView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';
import { envelope } from '../../usergrid/envelopes.js';

export const getEntity = (deps: Deps): OperationHandler<'getEntity'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const { collection, entity: ref } = c.request.params;
  const entity = await findEntity(deps, application, collection, ref);
  return { status: 200, body: envelope(ctx, deps.clock, 'get', `/${collection}/${entity.uuid}`, [entityView(entity)]) };
};
