import type { Deps } from '../../deps.js';
import { applicationView } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { applicationOf } from '../context.js';

export const updateApplication = (deps: Deps): OperationHandler<'updateApplication'> => async (c, ctx) => {
  const { organization, application } = applicationOf(ctx);
  const { accesstokenttl, sessionttl, sessionlifetime, appsessionaccess } = c.request.requestBody;
  await deps.repositories.applications.updateSettings(
    application.id,
    { accessTokenTtlMs: accesstokenttl, sessionTtlS: sessionttl, sessionLifetimeS: sessionlifetime, appSessionAccess: appsessionaccess },
    deps.clock.now(),
  );
  const updated = (await deps.repositories.applications.findById(application.id))!;
  return { status: 200, body: { action: 'update application', status: 'ok', data: { application: applicationView(updated, organization.name) } } };
};
