import { randomUUID } from 'node:crypto';
import type { AdminUserRecord } from '../db/repositories/admin-users.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import { onDuplicate } from '../db/duplicates.js';
import type { Deps } from '../deps.js';
import { Conflict, IllegalArgument } from '../errors.js';
import { hashPassword } from '../secrets/passwords.js';
import { createApplication } from './applications.js';
import { newClientId, newClientSecret } from './client-credentials.js';

/** Names that would shadow the server's own paths (`/management`, `/oauth`, `/docs`, `/console`, QuickBlox's `/data/…`). */
export const reservedOrganizationNames = new Set([
  'management', 'oauth', 'docs', 'console', 'healthz', 'readyz', 'metrics', 'openapi', 'system', 'status', 'data', 'users', 'session', 'login', 'api', 'admin', 'well-known',
]);

/** Every new organization gets this application, open to anonymous callers (Usergrid). */
export const sandboxApplicationName = 'sandbox';

export interface NewOrganizationInput {
  organization: string;
  username: string;
  email: string;
  password: string;
  name?: string;
}

/**
 * Creates an organization, its first admin user and its `sandbox` application in one transaction:
 * all of it, or (on a taken name, say) nothing.
 */
export async function createOrganization(
  deps: Pick<Deps, 'transaction' | 'clock' | 'secretBox' | 'config'>,
  input: NewOrganizationInput,
): Promise<{ organization: OrganizationRecord; owner: AdminUserRecord; clientSecret: string }> {
  if (reservedOrganizationNames.has(input.organization)) {
    throw new IllegalArgument(`The organization name "${input.organization}" is reserved`);
  }
  const passwordHash = await hashPassword(input.password, deps.config.scryptCost);
  const now = deps.clock.now();
  const client = newClientSecret();
  return deps
    .transaction(async (repositories) => {
      const organization = await repositories.organizations.insert({
        uuid: randomUUID(), name: input.organization, clientId: newClientId('organization'), clientSecretHash: client.hash, createdAt: now, modifiedAt: now,
      });
      const owner = await repositories.adminUsers.insert({
        uuid: randomUUID(), username: input.username, email: input.email, name: input.name ?? input.username, passwordHash,
        superuser: false, activated: true, passwordChangedAt: now, createdAt: now, modifiedAt: now,
      });
      await repositories.organizations.addAdmin(organization.id, owner.id);
      await createApplication(repositories, deps.secretBox, organization.id, { name: sandboxApplicationName }, now, { open: true });
      return { organization, owner, clientSecret: client.secret };
    })
    .catch(onDuplicate(() => new Conflict('An organization with that name, or an admin user with that username or email, already exists')));
}
