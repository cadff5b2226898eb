import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import type { TenantCache } from '../db/tenant-cache.js';
import { NotFound } from '../errors.js';

/** The organization and application a path names (`{org}`, `{app}`), by name or uuid. */
export async function resolveTenant(
  tenants: Pick<TenantCache, 'organization' | 'application'>,
  params: Record<string, string>,
): Promise<{ organization?: OrganizationRecord; application?: ApplicationRecord }> {
  if (params.org === undefined) return {};
  const organization = await tenants.organization(params.org);
  if (!organization) throw new NotFound(`No organization named ${params.org}`, 'organization_not_found');
  if (params.app === undefined) return { organization };
  const application = await tenants.application(organization.id, params.app);
  if (!application) throw new NotFound(`No application named ${params.app} in ${organization.name}`, 'application_not_found');
  return { organization, application };
}
