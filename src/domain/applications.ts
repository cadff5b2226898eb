import { randomBytes, randomUUID } from 'node:crypto';
import type { AppSessionAccess, ApplicationRecord } from '../db/repositories/applications.js';
import type { Repositories } from '../deps.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { newClientId, newClientSecret } from './client-credentials.js';
import { createBuiltInRoles } from './roles.js';

/** QuickBlox's session idle lifetime: two hours after the last request. */
export const defaultSessionTtlSeconds = 7200;

/**
 * The absolute lifetime of a QuickBlox session: a day, however often it is used. QuickBlox has
 * none (its sessions slide forever); a stolen token should not, and the SDK opens a new session by
 * itself when told "Required session does not exist".
 */
export const defaultSessionLifetimeSeconds = 86400;

export interface ApplicationSecrets {
  clientSecret: string;
  authSecret: string;
}

function newAuthSecret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Creates an application with its client credentials, QuickBlox keys and built-in roles (run it in
 * a transaction: all of it or nothing); the secrets are returned once. An `open` application (the
 * organization's sandbox) lets anonymous callers do everything.
 */
export async function createApplication(
  repositories: Pick<Repositories, 'applications' | 'roles' | 'permissions'>,
  secretBox: SecretBox,
  organizationId: number,
  input: { name: string; accesstokenttl?: number | null; sessionttl?: number; sessionlifetime?: number; appsessionaccess?: AppSessionAccess },
  now: number,
  options: { open?: boolean } = {},
): Promise<{ application: ApplicationRecord; secrets: ApplicationSecrets }> {
  const client = newClientSecret();
  const authSecret = newAuthSecret();
  const application = await repositories.applications.insert({
    uuid: randomUUID(),
    organizationId,
    name: input.name,
    clientId: newClientId('application'),
    clientSecretHash: client.hash,
    authKey: randomBytes(12).toString('base64url'),
    authSecretSealed: secretBox.seal(authSecret),
    accessTokenTtlMs: input.accesstokenttl ?? null,
    sessionTtlS: input.sessionttl ?? defaultSessionTtlSeconds,
    sessionLifetimeS: input.sessionlifetime ?? defaultSessionLifetimeSeconds,
    // The keys that open application sessions ship in client apps: by default such a session is an anonymous caller.
    appSessionAccess: input.appsessionaccess ?? 'guest',
    createdAt: now,
    modifiedAt: now,
  });
  await createBuiltInRoles(repositories, application.id, { open: options.open ?? false }, now);
  return { application, secrets: { clientSecret: client.secret, authSecret } };
}

/** New client secret and QuickBlox auth secret; the old ones stop working at once. */
export async function rotateApplicationSecrets(
  repositories: Pick<Repositories, 'applications'>,
  secretBox: SecretBox,
  application: ApplicationRecord,
  now: number,
): Promise<ApplicationSecrets> {
  const client = newClientSecret();
  const authSecret = newAuthSecret();
  await repositories.applications.setSecrets(application.id, { clientSecretHash: client.hash, authSecretSealed: secretBox.seal(authSecret) }, now);
  return { clientSecret: client.secret, authSecret };
}
