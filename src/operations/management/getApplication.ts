import type { Deps } from '../../deps.js';
import { applicationView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';

export const getApplication = (_deps: Deps): OperationHandler<'getApplication'> => (_c, ctx) => {
  const { organization, application } = applicationOf(ctx);
  return { status: 200, body: { action: 'get application', status: 'ok', data: { application: applicationView(application, organization.name) } } };
};
