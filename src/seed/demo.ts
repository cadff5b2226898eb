import type { Deps } from '../deps.js';
import { createApplication } from '../domain/applications.js';
import { createAppUser } from '../domain/app-users.js';
import { createOrganization, sandboxApplicationName } from '../domain/organizations.js';
import { sha256 } from '../secrets/digest.js';

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
  /** A first-party OAuth client of the storefront with every grant; its redirect URI is a loopback one, for trying the pages locally. */
  oauthClient: {
    clientId: 'oc_demo-storefront-web',
    clientSecret: 'tsr_ocs_demo-storefront-web-secret',
    name: 'Storefront web (demo)',
    redirectUri: 'http://127.0.0.1:8765/callback',
  },
} as const;

export interface DemoSummary {
  organization: { name: string; clientId: string; clientSecret: string };
  application: { name: string; clientId: string; clientSecret: string; applicationId: number; authKey: string; authSecret: string };
  sandbox: { name: string };
  admin: { username: string; password: string };
  user: { username: string; password: string };
  oauthClient: { clientId: string; clientSecret: string; redirectUri: string };
}

/** Seeds the demo organization once; returns what a newcomer needs to call it, on every start. */
export async function seedDemo(deps: Deps): Promise<DemoSummary> {
  const { repositories } = deps;
  let organization = await repositories.organizations.find(demo.organization);
  if (!organization) {
    ({ organization } = await createOrganization(deps, { organization: demo.organization, ...demo.admin, name: 'Demo Admin' }));
    await repositories.organizations.setClientSecretHash(organization.id, sha256(demo.organizationClientSecret), deps.clock.now());
    const organizationId = organization.id;
    const { application } = await deps.transaction((r) => createApplication(r, deps.secretBox, organizationId, { name: demo.application }, deps.clock.now()));
    await repositories.applications.setSecrets(
      application.id,
      { clientSecretHash: sha256(demo.applicationClientSecret), authSecretSealed: deps.secretBox.seal(demo.applicationAuthSecret) },
      deps.clock.now(),
    );
    await createAppUser(deps, application, { ...demo.user });
  }
  const application = (await repositories.applications.findInOrganization(organization.id, demo.application))!;
  if (!(await repositories.oauthClients.findByClientId(demo.oauthClient.clientId))) {
    await repositories.oauthClients.insert({
      clientId: demo.oauthClient.clientId, clientSecretHash: sha256(demo.oauthClient.clientSecret), organizationId: organization.id, applicationId: application.id,
      name: demo.oauthClient.name, redirectUris: [demo.oauthClient.redirectUri], grantTypes: ['authorization_code', 'refresh_token', 'password', 'client_credentials'],
      tokenEndpointAuthMethod: 'client_secret_basic', firstParty: true, createdAt: deps.clock.now(), modifiedAt: deps.clock.now(),
    });
  }
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
    oauthClient: { clientId: demo.oauthClient.clientId, clientSecret: demo.oauthClient.clientSecret, redirectUri: demo.oauthClient.redirectUri },
  };
}
