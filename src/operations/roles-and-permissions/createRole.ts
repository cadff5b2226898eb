import type { Deps } from '../../deps.js';
import { createRole as create } from '../../domain/roles.js';
import { roleView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { envelope } from '../../usergrid/envelopes.js';
import { applicationOf } from '../context.js';
import { recordAction } from '../audit.js';

export const createRole = (deps: Deps): OperationHandler<'createRole'> => async (c, ctx) => {
  const { application } = applicationOf(ctx);
  const role = await create(deps, application, c.request.requestBody);
  await recordAction(deps, ctx, { kind: 'role.created', subject: role.name, details: { role: role.name } });
  return { status: 200, body: envelope(ctx, deps.clock, 'post', '/roles', [roleView(role)]) };
};
