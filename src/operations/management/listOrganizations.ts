import type { Deps } from '../../deps.js';
import { organizationViewOf } from '../../usergrid/views.js';
import type { OperationHandler } from '../types.js';
import { principalOf } from '../context.js';

/**
 * Every organization for the superuser; an admin's own; an organization client's own. Nobody else
 * administers one, so nobody else sees any (an application's credentials would otherwise list their
 * organization's other applications).
 */
export const listOrganizations = (deps: Deps): OperationHandler<'listOrganizations'> => async (_c, ctx) => {
  const principal = principalOf(ctx);
  const { organizations } = deps.repositories;
  const visible =
    principal.kind === 'superuser'
      ? await organizations.list()
      : principal.kind === 'orgAdmin' && principal.userId !== undefined
        ? await organizations.listForAdmin(principal.userId)
        : principal.kind === 'orgClient' && principal.organizationId !== undefined
          ? [await organizations.findById(principal.organizationId)].filter((o) => o !== undefined)
          : [];
  const views = await Promise.all(visible.map((o) => organizationViewOf(deps.repositories, o)));
  return { status: 200, body: { action: 'get organizations', status: 'ok', data: { organizations: views } } };
};
