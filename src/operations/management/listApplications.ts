import type { Deps } from '../../deps.js';
import { applicationView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { organizationOf } from '../context.js';

export const listApplications = (deps: Deps): OperationHandler<'listApplications'> => async (_c, ctx) => {
  const organization = organizationOf(ctx);
  const applications = await deps.repositories.applications.listByOrganization(organization.id);
  return {
    status: 200,
    body: { action: 'get organization applications', status: 'ok', data: { applications: applications.map((a) => applicationView(a, organization.name)) } },
  };
};
