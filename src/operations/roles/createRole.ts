import type { Deps } from '../../deps.js';
import { createRole as create } from '../../domain/roles.js';
import { roleView } from '../../domain/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../application-data/envelope.js';
import { applicationOf } from '../context.js';

export const createRole = (deps: Deps): OperationHandler<'createRole'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const role = await create(deps, application, c.request.requestBody);
  return { status: 200, body: envelope(ctx, deps.clock, 'post', '/roles', [roleView(role)]) };
};
