import type { components } from '../../generated/openapi.js';
import { expect } from 'vitest';
import { ok, tessera, type Credential } from '../helpers/api.js';
import { startWorld, type World } from '../helpers/world.js';
import type { OrganizationFixture } from '../helpers/fixtures.js';
import { signIn } from '../helpers/users.js';

type Schemas = components['schemas'];
/** What `/management/token` answers: an admin's token (`user`), an organization client's or an application client's. */
type IssuedToken = Schemas['ManagementTokenResponse'] | Schemas['OrganizationTokenResponse'] | Schemas['ApplicationClientTokenResponse'];

/** The token of a password grant, which is an admin's: the only kind of issued token that comes with its `user`. */
export function adminToken(answer: { data?: IssuedToken; error?: unknown; response: Response }): Schemas['ManagementTokenResponse'] {
  const issued = ok(answer);
  if (!('user' in issued)) throw new Error(`an admin's token was expected, got ${JSON.stringify(issued)}`);
  return issued;
}

/** An admin user made for a test: the owner of an organization of their own (`home`), signed in. */
export interface MadeAdmin {
  username: string;
  email: string;
  password: string;
  uuid: string;
  home: string;
  token: string;
}

/** A new admin user, made by the superuser with an organization of their own (admin users come only with one). */
export async function newAdminUser(baseUrl: string, rootToken: string, name: string): Promise<MadeAdmin> {
  const admin = { username: name, email: `${name}@admins.example`, password: `${name}-password` };
  const home = `${name}-home`;
  const made = ok(await tessera(baseUrl, rootToken).POST('/management/orgs', { body: { organization: home, ...admin } }));
  const token = adminToken(await tessera(baseUrl).POST('/management/token', { body: { grant_type: 'password', username: name, password: admin.password } })).access_token;
  return { ...admin, uuid: made.data.owner.uuid, home, token };
}

/**
 * The credentials that reach an organization's application but are no admin user of it: an
 * application user's token, the application's client token and its client pair, a full API token,
 * and the organization's client token and client pair. Each must be refused (403) by the
 * operations on an organization's admins.
 */
export async function credentialsBesideAdmins(baseUrl: string, org: OrganizationFixture, adminToken: string, appUser: string): Promise<Record<string, Credential>> {
  const api = tessera(baseUrl);
  const appPath = { params: { path: { org: org.name, app: org.app.name } } };
  const appClientPair = { client_id: org.app.clientId, client_secret: org.app.clientSecret };
  const orgClientPair = { client_id: org.clientId, client_secret: org.clientSecret };
  const appClientToken = ok(await api.POST('/{org}/{app}/token', { ...appPath, body: { grant_type: 'client_credentials', ...appClientPair } })).access_token;
  const orgClientToken = ok(await api.POST('/management/token', { body: { grant_type: 'client_credentials', ...orgClientPair } })).access_token;
  const apiToken = ok(await tessera(baseUrl, adminToken).POST('/management/orgs/{org}/apps/{app}/api-tokens', { ...appPath, body: { name: `full-${appUser}`, access: 'full' } })).data.access_token;
  return {
    'an application user': await signIn(baseUrl, org, appUser),
    "the application's client token": appClientToken,
    "the application's client pair": { query: appClientPair },
    'a full API token': apiToken,
    "the organization's client token": orgClientToken,
    "the organization's client pair": { query: orgClientPair },
  };
}

/** The world of the admin-user tests: acme's application has the user alice; `besides` as `credentialsBesideAdmins` makes them. */
export async function startAdminsWorld(): Promise<{ world: World; besides: Record<string, Credential> }> {
  const world = await startWorld({ users: { acme: ['alice'] } });
  return { world, besides: await credentialsBesideAdmins(world.server.url, world.acme, world.acme.admin.token, 'alice') };
}

/**
 * Sends `send` with each of `besides` and expects each refused in the Usergrid shape: 403, or
 * `pairStatus` for a client pair (a route that takes no client pair answers it as no credential).
 */
export async function expectEachRefused(
  besides: Record<string, Credential>,
  send: (credential: Credential) => Promise<{ response: Response; error?: unknown }>,
  pairStatus = 403,
): Promise<void> {
  for (const [what, credential] of Object.entries(besides)) {
    const answer = await send(credential);
    expect(answer.response.status, what).toBe(what.endsWith('pair') ? pairStatus : 403);
    expect(answer.error, what).toMatchObject({ error: expect.any(String), error_description: expect.any(String), timestamp: expect.any(Number) });
  }
}
