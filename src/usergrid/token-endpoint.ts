import type { components } from '../../generated/openapi.js';
import type { Principal } from '../auth/principal.js';
import type { AdminUserRecord } from '../db/repositories/admin-users.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { AppUserRecord } from '../db/repositories/app-users.js';
import type { Deps } from '../deps.js';
import { Forbidden, InvalidClient, InvalidGrant, InvalidRequest, InvalidToken, UnsupportedGrantType } from '../errors.js';
import { expiresInSeconds, issueAccessToken, mintedFamilyOf, resolveTtl, userTokenMaximum } from '../domain/access-tokens.js';
import { authenticateAdmin, keepIfAdminUnchanged } from '../domain/admin-users.js';
import { authenticateAppUser, keepIfAccountUnchanged } from '../domain/app-users.js';
import { authenticateUsergridClient } from '../auth/usergrid-clients.js';
import { clientIdBehind, keepIfSecretStillCurrent } from '../domain/client-credentials.js';
import { adminUserView, organizationViewOf, userView } from './views.js';

type Schemas = components['schemas'];
type GrantType = NonNullable<Schemas['TokenRequest']['grant_type']>;

/**
 * The grant a wire `grant_type` names, looked up as an own key only: request validation already
 * keeps to the spec's enum, but a table keyed by user input must not answer `constructor` either.
 */
function grantOf<G>(table: Record<GrantType, G>, grantType: string): G {
  if (!Object.hasOwn(table, grantType)) throw new UnsupportedGrantType(`grant_type ${grantType} is not supported; use password or client_credentials`);
  return table[grantType as GrantType];
}
export type TokenRequest = Pick<Schemas['TokenRequest'], 'grant_type' | 'username' | 'password' | 'client_id' | 'client_secret' | 'ttl'>;
type AdminTokenAnswer = Schemas['ManagementTokenResponse'];
type ClientTokenAnswer = Schemas['OrganizationTokenResponse'] | Schemas['ApplicationClientTokenResponse'];
type UserTokenAnswer = Schemas['UserTokenResponse'];

/**
 * One request to a token endpoint (Usergrid, reference §2): its fields, whoever the security step
 * already authenticated (a guest, a client by its query pair or HTTP Basic, an admin by a token),
 * and where it came from (for the brute-force audit).
 */
export interface TokenCall {
  request: TokenRequest;
  principal: Principal;
  ip: string;
}

type TokenEndpointDeps = Pick<Deps, 'repositories' | 'tenants' | 'tokens' | 'clock' | 'config' | 'bruteForceGuard'>;


async function adminTokenAnswer(deps: TokenEndpointDeps, admin: AdminUserRecord, ttlMs: number | null): Promise<AdminTokenAnswer> {
  const { value, token } = await issueAccessToken(deps, {
    principalKind: admin.superuser ? 'superuser' : 'orgAdmin', subjectKind: 'admin', subjectId: admin.id, organizationId: null, applicationId: null, ttlMs,
  });
  // Signed in to the account as it was a moment ago: not if it has moved on since.
  await keepIfAdminUnchanged(deps, admin, () => deps.tokens.revokeOne(token));
  return { access_token: value, expires_in: expiresInSeconds(token), passwordChanged: admin.passwordChangedAt, user: await adminUserView(deps.repositories, admin) };
}

async function userTokenAnswer(
  deps: TokenEndpointDeps,
  application: ApplicationRecord,
  user: AppUserRecord,
  ttlMs: number | null,
  mintedBy?: { clientId?: string; familyId?: string; principal: Principal },
): Promise<UserTokenAnswer> {
  const { value, token } = await issueAccessToken(deps, {
    principalKind: 'appUser', subjectKind: 'user', subjectId: user.id, organizationId: application.organizationId, applicationId: application.id, ttlMs,
    ...(mintedBy?.clientId !== undefined && { clientId: mintedBy.clientId }),
    ...(mintedBy?.familyId !== undefined && { familyId: mintedBy.familyId }),
  });
  if (mintedBy) await keepIfSecretStillCurrent(deps, mintedBy.principal, token);
  // Signed in, or minted for, the account as it was a moment ago: not if it has moved on since.
  await keepIfAccountUnchanged(deps, user, () => deps.tokens.revokeOne(token));
  return { access_token: value, expires_in: expiresInSeconds(token), user: userView(user) };
}

/** Usergrid's answers: an organization client gets its organization, an application client its application's uuid. */
async function clientTokenAnswer(deps: TokenEndpointDeps, client: Principal, ttlMs: number | null): Promise<ClientTokenAnswer> {
  if (client.kind === 'orgClient') {
    const organization = (await deps.repositories.organizations.findById(client.organizationId!))!;
    const { value, token } = await issueAccessToken(deps, {
      principalKind: 'orgClient', subjectKind: 'organization', subjectId: organization.id, organizationId: organization.id, applicationId: null, ttlMs,
      clientId: organization.clientId,
    });
    await keepIfSecretStillCurrent(deps, client, token);
    return { access_token: value, expires_in: expiresInSeconds(token), organization: await organizationViewOf(deps.repositories, organization) };
  }
  // The cached copy: what the answer reads of it never changes, and the secret is checked against the row below.
  const application = (await deps.tenants.applicationById(client.applicationId!))!;
  const { value, token } = await issueAccessToken(deps, {
    principalKind: 'appClient', subjectKind: 'application', subjectId: application.id, organizationId: application.organizationId,
    applicationId: application.id, ttlMs, clientId: application.clientId,
  });
  await keepIfSecretStillCurrent(deps, client, token);
  return { access_token: value, expires_in: expiresInSeconds(token), application: application.uuid };
}

function loginOf(request: TokenRequest): { username: string; password: string } {
  const { username, password } = request;
  if (!username || !password) throw new InvalidRequest('username and password are required for grant_type=password');
  return { username, password };
}

const isClientPrincipal = (p: Principal) =>
  (p.kind === 'orgClient' || p.kind === 'appClient') && (p.credential.scheme === 'clientCredentials' || p.credential.scheme === 'basicAuth');

/**
 * The client of a `client_credentials` grant: its id and secret in the body (checked here, under
 * the brute-force throttle), or already authenticated from the query string or HTTP Basic by the
 * security step. RFC 6749 §2.3: one mechanism per request, so a body secret beside any other
 * credential is refused rather than one silently winning (Usergrid lets Basic overwrite the body).
 */
async function clientOf(deps: TokenEndpointDeps, call: TokenCall): Promise<Principal> {
  const { client_id: clientId, client_secret: clientSecret } = call.request;
  if (clientSecret !== undefined) {
    if (call.principal.kind !== 'guest') throw new InvalidRequest('Send the client credentials by one mechanism only (RFC 6749 §2.3)');
    if (!clientId) throw new InvalidRequest('client_secret needs its client_id');
    return authenticateUsergridClient(deps, clientId, clientSecret, 'clientCredentials', call.ip);
  }
  if (isClientPrincipal(call.principal)) return call.principal;
  throw new InvalidClient('grant_type=client_credentials needs a client_id and client_secret, in the body, the query string or Authorization: Basic', { basic: true });
}

/** The admin a request is already authenticated as, by an admin's access token; undefined for anyone else. */
async function signedInAdmin(deps: TokenEndpointDeps, principal: Principal): Promise<AdminUserRecord | undefined> {
  if ((principal.kind !== 'superuser' && principal.kind !== 'orgAdmin') || principal.userId === undefined) return undefined;
  const admin = await deps.repositories.adminUsers.findById(principal.userId);
  // The token outlived its admin, or the admin was deactivated: it stands for nobody now.
  if (!admin || !admin.activated) throw new InvalidToken();
  return admin;
}

/** `/management/token`'s grants, keyed by `grant_type`. */
const managementGrants: Record<GrantType, (deps: TokenEndpointDeps, call: TokenCall) => Promise<AdminTokenAnswer | ClientTokenAnswer>> = {
  async password(deps, call) {
    const { username, password } = loginOf(call.request);
    // The ttl is checked first, so a bad one is not counted as a failed sign-in.
    const ttlMs = resolveTtl(call.request.ttl, deps.config.accessTokenTtlMs);
    const admin = await authenticateAdmin(deps, username, password, call.ip);
    return adminTokenAnswer(deps, admin, ttlMs);
  },
  async client_credentials(deps, call) {
    const ttlMs = resolveTtl(call.request.ttl, deps.config.accessTokenTtlMs);
    return clientTokenAnswer(deps, await clientOf(deps, call), ttlMs);
  },
};

/**
 * `/management/token`: an admin's or a client's token. Without `grant_type`, a request already
 * authenticated by an admin's token gets a new token for that admin (Usergrid,
 * `GET /management/token?access_token=…`).
 */
export async function grantManagementToken(deps: TokenEndpointDeps, call: TokenCall): Promise<AdminTokenAnswer | ClientTokenAnswer> {
  const grantType = call.request.grant_type;
  if (grantType !== undefined) return grantOf(managementGrants, grantType)(deps, call);
  const admin = await signedInAdmin(deps, call.principal);
  if (!admin) throw new InvalidRequest('grant_type is required: password or client_credentials');
  // A token got with a token ends no later than the one presented: a short-lived token (the
  // console's 8 hours) must not buy a longer one that outlives its sign-out.
  const ttlMs = resolveTtl(call.request.ttl, deps.config.accessTokenTtlMs);
  const presentedExpiry = call.principal.credential.expiresAt;
  return adminTokenAnswer(deps, admin, presentedExpiry == null ? ttlMs : Math.min(ttlMs ?? Infinity, Math.max(0, presentedExpiry - deps.clock.now())));
}

/**
 * `/management/me`: with an admin's token, that same token (the caller sent its value), its
 * lifetime and the admin; for anyone else exactly `/management/token`.
 */
export async function managementMe(deps: TokenEndpointDeps, call: TokenCall, presentedToken: string | undefined): Promise<AdminTokenAnswer | ClientTokenAnswer> {
  const admin = await signedInAdmin(deps, call.principal);
  const reference = call.principal.credential.token;
  const token = admin && reference && presentedToken !== undefined ? await deps.tokens.recordOf(reference, presentedToken) : undefined;
  if (!admin || !token || presentedToken === undefined) return grantManagementToken(deps, call);
  return { access_token: presentedToken, expires_in: expiresInSeconds(token), passwordChanged: admin.passwordChangedAt, user: await adminUserView(deps.repositories, admin) };
}

type ApplicationGrant = (deps: TokenEndpointDeps, call: TokenCall, application: ApplicationRecord) => Promise<UserTokenAnswer | ClientTokenAnswer>;

/** `/{org}/{app}/token`'s grants, keyed by `grant_type`. */
const applicationGrants: Record<GrantType, ApplicationGrant> = {
  async password(deps, call, application) {
    const { username, password } = loginOf(call.request);
    const ttlMs = resolveTtl(call.request.ttl, userTokenMaximum(application, deps.config.accessTokenTtlMs));
    const user = await authenticateAppUser(deps, application, username, password, call.ip);
    return userTokenAnswer(deps, application, user, ttlMs);
  },
  async client_credentials(deps, call, application) {
    const ttlMs = resolveTtl(call.request.ttl, deps.config.accessTokenTtlMs);
    const client = await clientOf(deps, call);
    const reaches = client.kind === 'orgClient' ? client.organizationId === application.organizationId : client.applicationId === application.id;
    if (!reaches) throw new Forbidden('This client may not get tokens for this application');
    return clientTokenAnswer(deps, client, ttlMs);
  },
};

/** `/{org}/{app}/token`: an application user's token, or the token of a client that reaches the application. */
export async function grantApplicationToken(deps: TokenEndpointDeps, call: TokenCall, application: ApplicationRecord): Promise<UserTokenAnswer | ClientTokenAnswer> {
  const grantType = call.request.grant_type;
  if (grantType === undefined) throw new InvalidRequest('grant_type is required: password or client_credentials');
  return grantOf(applicationGrants, grantType)(deps, call, application);
}

/**
 * `/{org}/{app}/users/{user}/token`: an application admin mints a token for a user, as if they had
 * signed in. Minted by a client (`clientIdBehind`), it is revoked when that client's secret is rotated.
 */
export async function mintUserToken(
  deps: TokenEndpointDeps,
  application: ApplicationRecord,
  user: AppUserRecord,
  ttl: number | undefined,
  mintedBy: Principal,
): Promise<UserTokenAnswer> {
  let ttlMs = resolveTtl(ttl, userTokenMaximum(application, deps.config.accessTokenTtlMs));
  if (!user.activated) throw new InvalidGrant('user not activated');
  const clientId = (await clientIdBehind(deps.repositories, mintedBy)) ?? undefined;
  // Minted by an API token: it dies with that token, and lives no longer than it.
  const apiToken = mintedBy.kind === 'apiToken' ? mintedBy.credential.token : undefined;
  const apiTokenExpiry = apiToken && mintedBy.credential.expiresAt;
  if (apiTokenExpiry != null) ttlMs = Math.min(ttlMs ?? Infinity, Math.max(0, apiTokenExpiry - deps.clock.now()));
  const familyId = apiToken && mintedFamilyOf(apiToken.id);
  const minted = clientId !== undefined || familyId !== undefined;
  return userTokenAnswer(deps, application, user, ttlMs, minted ? { ...(clientId !== undefined && { clientId }), ...(familyId !== undefined && { familyId }), principal: mintedBy } : undefined);
}
