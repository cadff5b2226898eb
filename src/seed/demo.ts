import type { Deps } from '../deps.js';
import { createApplication } from '../domain/applications.js';
import { createAppUser } from '../domain/app-users.js';
import { createOrganization, sandboxApplicationName } from '../domain/organizations.js';
import { sha256 } from '../secrets/random.js';

/**
 * Demo data with well-known secrets, so the README's examples work as written. Only ever seeded
 * by `--demo` (or `TESSERA_DEMO`) and only into a database that has no `demo` organization yet:
 * never use these values anywhere that matters.
 */
export const demo = {
  organization: 'demo',
  admin: { username: 'demo-admin', email: 'admin@demo.example', password: 'demo-admin-password' },
  organizationClientSecret: 'tsr_cs_demo-organization-client-secret',
  application: 'storefront',
  applicationClientSecret: 'tsr_cs_demo-storefront-client-secret',
  applicationAuthSecret: 'demo-storefront-auth-secret',
  user: { username: 'alice', email: 'alice@demo.example', password: 'alice-password', name: 'Alice' },
} as const;

export interface DemoSummary {
  organization: { name: string; clientId: string; clientSecret: string };
  application: { name: string; clientId: string; clientSecret: string; applicationId: number; authKey: string; authSecret: string };
  sandbox: { name: string };
  admin: { username: string; password: string };
  user: { username: string; password: string };
}

/** Seeds the demo organization once; returns what a newcomer needs to call it, on every start. */
export async function seedDemo(deps: Deps): Promise<DemoSummary> {
  const { repositories } = deps;
  let organization = await repositories.organizations.find(demo.organization);
  if (!organization) {
    ({ organization } = await createOrganization(deps, { organization: demo.organization, ...demo.admin, name: 'Demo Admin' }));
    await repositories.organizations.setClientSecretHash(organization.id, sha256(demo.organizationClientSecret), deps.clock.now());
    const { application } = await createApplication(repositories, deps.secretBox, organization.id, { name: demo.application }, deps.clock.now());
    await repositories.applications.setSecrets(
      application.id,
      { clientSecretHash: sha256(demo.applicationClientSecret), authSecretSealed: deps.secretBox.seal(demo.applicationAuthSecret) },
      deps.clock.now(),
    );
    await createAppUser(deps, application, { ...demo.user });
  }
  const application = (await repositories.applications.findInOrganization(organization.id, demo.application))!;
  return {
    organization: { name: organization.name, clientId: organization.clientId, clientSecret: demo.organizationClientSecret },
    application: {
      name: application.name,
      clientId: application.clientId,
      clientSecret: demo.applicationClientSecret,
      applicationId: application.id,
      authKey: application.authKey,
      authSecret: demo.applicationAuthSecret,
    },
    sandbox: { name: sandboxApplicationName },
    admin: { username: demo.admin.username, password: demo.admin.password },
    user: { username: demo.user.username, password: demo.user.password },
  };
}
