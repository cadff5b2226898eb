import type { Deps } from '../../deps.js';
import { onDuplicate } from '../../db/duplicates.js';
import { createApplication as create } from '../../domain/applications.js';
import { applicationView } from '../../usergrid/views.js';
import { Conflict } from '../../errors.js';
import type { OperationHandler } from '../types.js';
import { organizationOf } from '../context.js';

export const createApplication = (deps: Deps): OperationHandler<'createApplication'> => async (c, ctx) => {
  const organization = organizationOf(ctx);
  const now = deps.clock.now();
  const { application, secrets } = await deps
    .transaction((repositories) => create(repositories, deps.secretBox, organization.id, c.request.requestBody, now))
    .catch(onDuplicate(() => new Conflict(`The organization already has an application named ${c.request.requestBody.name}`)));
  return {
    status: 200,
    body: {
      action: 'new application',
      status: 'ok',
      data: {
        application: applicationView(application, organization.name),
        credentials: {
          client_id: application.clientId,
          client_secret: secrets.clientSecret,
          application_id: application.id,
          auth_key: application.authKey,
          auth_secret: secrets.authSecret,
        },
      },
    },
  };
};
