import type { Deps } from '../../deps.js';
import { createOrganization as create } from '../../domain/organizations.js';
import { adminUserView, organizationViewOf } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';

export const createOrganization = (deps: Deps): OperationHandler<'createOrganization'> => async (c) => {
  const { organization, owner, clientSecret } = await create(deps, c.request.requestBody);
  return {
    status: 200,
    body: {
      action: 'new organization',
      status: 'ok',
      data: {
        organization: await organizationViewOf(deps.repositories, organization),
        owner: await adminUserView(deps.repositories, owner),
        credentials: { client_id: organization.clientId, client_secret: clientSecret },
      },
    },
  };
};
