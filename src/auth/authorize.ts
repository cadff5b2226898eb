import type { AppSessionAccess, ApplicationRecord } from '../db/repositories/applications.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import { CredentialRequired, Forbidden, InsufficientScope, NotYourRecord, ReadOnlyCredential, UserRequired } from '../errors.js';
import type { PermissionCache } from './permission-cache.js';
import { permits } from './permissions.js';
import type { Principal, PrincipalKind } from './principal.js';

/**
 * The rule an operation declares with `x-access` in the spec:
 * - `anyone`: no credential needed (token endpoints);
 * - `authenticated`: any principal but a guest;
 * - `organization-signup`: the superuser, or anyone when sign-up is enabled;
 * - `organization-admin`: someone who administers the organization in the path;
 * - `organization-admin-user`: an admin user of the organization in the path, or the superuser;
 *   never its client credentials, which are machine secrets: one that leaked must not enrol an
 *   admin account that outlives the secret's rotation;
 * - `application-data`: someone who reaches the application in the path: its admins and clients,
 *   its API tokens, sessions and OAuth clients wholly; its users and guests as far as their roles
 *   and path permissions allow (see `reachOf` below);
 * - `superuser`: the superuser only;
 * - `application-admin`: someone who administers the application in the path (its organization's
 *   admins and client, its own client, its full API tokens);
 * - `application-user-self-or-admin`: the application user named by `{user}` themselves, or an
 *   application admin;
 * - `application-user-account`: `application-data`, and then only the application user named by
 *   `{user}` themselves or an application admin: an account is its owner's, whatever the path
 *   permissions say (the `default` role grants `/**`). Its owner may not change `activated`, and a
 *   delegated credential (an OAuth token of a third-party client) may not change its credentials
 *   or delete it;
 * - `admin-user-self`: the admin user named by `{user}` themselves, or the superuser;
 * - `api-token-admin`: an organization admin, but never an API token;
 * - `quickblox-session`: the QuickBlox session itself (show it, log a user in or out, destroy it):
 *   any session, whatever its ceiling, since these change the session and not the application;
 * - `quickblox-signup`: `application-data`, and an application session may do it although it
 *   only reads: QuickBlox lets it do this one write, signing a user up (reference §9), and so does
 *   Tessera under `appsessionaccess: read-all`; under `guest`, only if guests may `POST /users`;
 * - `quickblox-own-user`: `application-data`, and only the user signed in to the session, on
 *   their own record (`{id}`);
 * - `quickblox-own-user-by-external-id`: `{id}` is an `external_user_id`, resolved to the one user
 *   of the caller's application holding it, then `quickblox-own-user` on that user's record; an id
 *   nobody holds, or several do, names nobody and is nobody's own;
 * - `quickblox-own-object`: `application-data`, and only the user who created the custom object
 *   (`{className}`, `{id}`); a missing object is left to the operation (404).
 */
export type AccessRule =
  | 'anyone'
  | 'authenticated'
  | 'organization-signup'
  | 'organization-admin'
  | 'organization-admin-user'
  | 'application-data'
  | 'superuser'
  | 'application-admin'
  | 'application-user-self-or-admin'
  | 'application-user-account'
  | 'admin-user-self'
  | 'api-token-admin'
  | 'quickblox-session'
  | 'quickblox-signup'
  | 'quickblox-own-user'
  | 'quickblox-own-user-by-external-id'
  | 'quickblox-own-object';
export type Action = 'read' | 'write';

/** Every rule, for checking the spec's `x-access` values at boot. */
export const accessRules: ReadonlySet<string> = new Set<AccessRule>([
  'anyone', 'authenticated', 'organization-signup', 'organization-admin', 'organization-admin-user', 'application-data', 'superuser',
  'application-admin', 'application-user-self-or-admin', 'application-user-account', 'admin-user-self', 'api-token-admin', 'quickblox-session',
  'quickblox-signup', 'quickblox-own-user', 'quickblox-own-user-by-external-id', 'quickblox-own-object',
]);
export const actions: ReadonlySet<string> = new Set<Action>(['read', 'write']);

/** Fields of an account that only its owner (proving the current password, for `password`) or an admin may change. */
const credentialFields = new Set(['password', 'newpassword', 'username', 'email']);

export interface AccessRequest {
  rule: AccessRule;
  action: Action;
  organization?: OrganizationRecord;
  application?: ApplicationRecord;
  /** The `{user}` of the path (uuid, username, email or `me`), for the rules about a user themselves. */
  user?: string;
  /** The HTTP method and the path relative to the application (`/cats/fluffy`), for path permissions. */
  method?: string;
  resource?: string;
  /** QuickBlox's `{id}` (a user's id or a custom object's `_id`) and `{className}` of the path. */
  id?: string;
  className?: string;
  /** The entity the path names (`{collection}`/`{entity}`, or a custom object's class and `_id`), for its creator. */
  entity?: { collection: string; ref: string };
  /** The OAuth scopes the operation requires (the spec's `oauth2` requirement); undefined: OAuth tokens may not call it. */
  scopes?: readonly string[];
  /** The top-level fields of the request body, for the rules about what a body may change. */
  bodyFields?: readonly string[];
}

/**
 * How the principal was let through, for what the operation must still check: an application
 * administrator, or the owner of the record (who must then prove their current password to change it).
 */
export type Standing = 'administrator' | 'owner' | 'other';

/** What the decision may need to look up. */
export interface AuthorizationFacts {
  isOrganizationAdmin(organizationId: number, adminUserId: number): Promise<boolean>;
  organizationSignup: boolean;
  /** The id of the application user `ref` names, if any. */
  appUserIdOf(applicationId: number, ref: string): Promise<number | undefined>;
  /** The id of the admin user `ref` names, if any. */
  adminUserIdOf(ref: string): Promise<number | undefined>;
  /** The compiled grants of guests and application users. */
  permissionCache: Pick<PermissionCache, 'ofGuest' | 'ofUser'>;
  /** Who created an entity (a QuickBlox custom object): a user's id; null when it has no creator; undefined when there is no such entity. */
  entityCreatorOf(applicationId: number, collection: string, ref: string): Promise<number | null | undefined>;
  /** Whether an OAuth client is first-party (trusted as much as the server itself). */
  isFirstPartyClient(clientId: string): Promise<boolean>;
  /** The application's `appsessionaccess`: how far its QuickBlox application sessions reach. */
  appSessionAccessOf(applicationId: number): Promise<AppSessionAccess>;
  /** The id of the one user of the application holding an `external_user_id`; undefined when nobody or several do. */
  externalIdHolderOf(applicationId: number, externalId: number): Promise<number | undefined>;
}

function deny(principal: Principal): never {
  // 401 means "who are you?", 403 means "you may not": a guest gets the former.
  if (principal.kind === 'guest') throw new CredentialRequired();
  throw new Forbidden();
}

async function administers(principal: Principal, organizationId: number, facts: AuthorizationFacts): Promise<boolean> {
  switch (principal.kind) {
    case 'superuser':
      return true;
    case 'orgAdmin':
      return principal.userId !== undefined && facts.isOrganizationAdmin(organizationId, principal.userId);
    case 'orgClient':
      return principal.organizationId === organizationId;
    default:
      return false;
  }
}

/** Administers the application: whoever administers its organization, its own client, or one of its API tokens. */
async function administersApplication(principal: Principal, application: ApplicationRecord, facts: AuthorizationFacts): Promise<boolean> {
  if (await administers(principal, application.organizationId, facts)) return true;
  // A read API token is held back by its ceiling before it gets here, on every write.
  return (principal.kind === 'appClient' || principal.kind === 'apiToken') && principal.applicationId === application.id;
}

/** Is the principal the user `ref` names (`me` names the caller)? Unknown users are nobody's self. */
async function isSelf(principal: Principal, ref: string | undefined, lookUp: (ref: string) => Promise<number | undefined>): Promise<boolean> {
  if (ref === undefined || principal.userId === undefined) return false;
  return ref === 'me' || (await lookUp(ref)) === principal.userId;
}

/** The application a request acts on: the one in its path, else (QuickBlox routes) the credential's own. */
interface Target {
  id: number;
  organizationId: number;
}

function targetOf(principal: Principal, request: AccessRequest): Target | undefined {
  if (request.application) return request.application;
  if (principal.applicationId === undefined || principal.organizationId === undefined) return undefined;
  return { id: principal.applicationId, organizationId: principal.organizationId };
}

/**
 * How far a principal reaches into an application, before its ceiling is applied: `whole` (all of
 * it), `roles` (what its roles and path permissions allow) or `none`. One line per kind of
 * principal, so a new credential plugs in here, whichever scheme carries it.
 */
type Reach = 'whole' | 'roles' | 'none';

const ownApplication = (within: Reach) => async (principal: Principal, target: Target): Promise<Reach> =>
  principal.applicationId === target.id ? within : 'none';

const ownOrganization = async (principal: Principal, target: Target, facts: AuthorizationFacts): Promise<Reach> =>
  (await administers(principal, target.organizationId, facts)) ? 'whole' : 'none';

const reachOf: Record<PrincipalKind, (principal: Principal, target: Target, facts: AuthorizationFacts) => Promise<Reach>> = {
  // Only the superuser reaches every organization.
  superuser: async () => 'whole',
  // Organization admins and clients: every application of their organization, nothing of another.
  orgAdmin: ownOrganization,
  orgClient: ownOrganization,
  // Application-wide credentials, without roles (a read API token or a QuickBlox application
  // session is held to reading by its ceiling; an OAuth client by its scopes).
  appClient: ownApplication('whole'),
  apiToken: ownApplication('whole'),
  // A QuickBlox application session: the whole application (QuickBlox's `read-all`), or what the
  // guest role allows (`guest`): its keys ship in client apps, so it is no more than an anonymous caller.
  appSession: async (principal, target, facts) =>
    principal.applicationId !== target.id ? 'none' : (await facts.appSessionAccessOf(target.id)) === 'read-all' ? 'whole' : 'roles',
  oauthClient: ownApplication('whole'),
  // Application users (Usergrid tokens, QuickBlox user sessions, OAuth user tokens): their grants.
  appUser: ownApplication('roles'),
  // Anonymous callers: the application's guest role.
  guest: async () => 'roles',
};

/**
 * Whether the `/users/{user}` a request names is the caller, by identity: the path's user resolves
 * to the caller's id (`me` is the caller). QuickBlox's `/users/{id}` names users by their numeric id.
 */
async function pathUserIsCaller(principal: Principal, target: Target, request: AccessRequest, facts: AuthorizationFacts): Promise<boolean> {
  if (principal.userId === undefined) return false;
  if (request.user !== undefined) return isSelf(principal, request.user, (ref) => facts.appUserIdOf(target.id, ref));
  return request.id !== undefined && /^[1-9][0-9]{0,14}$/.test(request.id) && Number(request.id) === principal.userId;
}

/** An `external_user_id` as the spec types it (an integer from 0 to 2^53 - 1, in its plain decimal form), else undefined. */
function externalIdOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^(0|[1-9][0-9]{0,15})$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * The request of `quickblox-own-user-by-external-id` as `quickblox-own-user` sees it: `{id}`, an
 * external id, replaced by the id of the one user of the caller's application holding it, and the
 * permission path by that user's (`/users/{their id}`, as `DELETE /users/{id}.json` names them: one
 * rule per record, whatever route reaches it). Undefined when the id names nobody: not a number as
 * the spec types it, held by nobody, or by several (then naming one would let a user claim another's).
 */
async function resolveExternalUser(principal: Principal, request: AccessRequest, facts: AuthorizationFacts): Promise<AccessRequest | undefined> {
  const target = targetOf(principal, request);
  const externalId = externalIdOf(request.id);
  if (!target || externalId === undefined) return undefined;
  const holder = await facts.externalIdHolderOf(target.id, externalId);
  if (holder === undefined) return undefined;
  return { ...request, rule: 'quickblox-own-user', id: String(holder), resource: `/users/${holder}` };
}

/**
 * Usergrid's path permission check (reference §5.3 rule 5, §6): the union of the principal's
 * grants must allow the method on the path. A guest is refused with 401 (who are you?), anyone
 * else with 403 (Usergrid answers 401 to both). `${user}` and `me` in a grant match only segments
 * that name the caller: `/users/{user}` by the id it resolves to, any other segment by the caller's
 * uuid as a literal (Usergrid's documented meaning): never the username, which its owner can give
 * up and someone else take, with everything it named.
 */
async function permitted(principal: Principal, target: Target, request: AccessRequest, facts: AuthorizationFacts): Promise<void> {
  const { method, resource } = request;
  if (principal.kind === 'appSession') {
    // An application session held to the guest role (`appsessionaccess: guest`): QuickBlox's answer is "Need user".
    const guestPermissions = await facts.permissionCache.ofGuest(target.id);
    if (!guestPermissions || method === undefined || resource === undefined || !permits(guestPermissions, method, resource)) throw new UserRequired();
    return;
  }
  if (principal.kind === 'guest') {
    const guestPermissions = await facts.permissionCache.ofGuest(target.id);
    if (!guestPermissions) throw new CredentialRequired('No application guest access authorized');
    if (method === undefined || resource === undefined || !permits(guestPermissions, method, resource)) throw new CredentialRequired('Anonymous callers may not do this; sign in');
    return;
  }
  // A user who no longer exists has no grants (their tokens were revoked with them anyway).
  const own = principal.userId === undefined ? undefined : await facts.permissionCache.ofUser(target.id, principal.userId);
  if (!own || method === undefined || resource === undefined) deny(principal);
  const userSegmentIsCaller = resource.toLowerCase().startsWith('/users/') && (await pathUserIsCaller(principal, target, request, facts));
  const namesCaller = (segment: string, index: number, segments: readonly string[]) =>
    index === 1 && segments[0] === 'users' ? userSegmentIsCaller : segment === own.uuid;
  if (!permits(own.permissions, method, resource, namesCaller)) deny(principal);
}

/** `application-data`: the principal reaches the application (wholly, or as its roles allow); returns it and how. */
async function reachesApplicationData(principal: Principal, request: AccessRequest, facts: AuthorizationFacts): Promise<{ target: Target; reach: Reach }> {
  const target = targetOf(principal, request);
  if (!target) deny(principal);
  // The kind comes from a stored token row: one this module does not list reaches nothing.
  const reachFor = Object.hasOwn(reachOf, principal.kind) ? reachOf[principal.kind] : undefined;
  if (!reachFor) deny(principal);
  const reach = await reachFor(principal, target, facts);
  if (reach === 'none') deny(principal);
  if (reach === 'roles') await permitted(principal, target, request, facts);
  return { target, reach };
}

/**
 * One rule for an entity that has a creator (a QuickBlox custom object), whichever route reaches it
 * (`/data/{class}/{id}.json` or `/{org}/{app}/{collection}/{entity}`): only its creator changes or
 * deletes it, besides the application-wide credentials that manage all of the application's data.
 */
async function mayChangeEntity(principal: Principal, target: Target, reach: Reach, request: AccessRequest, facts: AuthorizationFacts): Promise<boolean> {
  if (request.action !== 'write' || !request.entity) return true;
  const creator = await facts.entityCreatorOf(target.id, request.entity.collection, request.entity.ref);
  // No such entity: the operation answers 404; no creator: path permissions alone decide.
  if (creator === undefined || creator === null) return true;
  if (principal.kind === 'appUser') return principal.userId === creator;
  return reach === 'whole';
}

/** An OAuth token of a client that is not first-party acts for the user, not as the user. */
async function isDelegated(principal: Principal, facts: AuthorizationFacts): Promise<boolean> {
  if (principal.scopes === undefined) return false;
  const clientId = principal.credential.token?.clientId;
  return !clientId || !(await facts.isFirstPartyClient(clientId));
}

/**
 * RFC 6749 §3.3: an OAuth token is held to its scopes. It calls only operations that declare the
 * `oauth2` scheme, and must hold every scope they require (`write` does not imply `read`).
 */
function checkScopes(principal: Principal, request: AccessRequest): void {
  if (principal.scopes === undefined) return;
  const required = request.scopes;
  if (required === undefined) throw new InsufficientScope('OAuth tokens may not call this operation');
  const missing = required.filter((scope) => !principal.scopes!.includes(scope));
  if (missing.length) throw new InsufficientScope(`This token lacks the scope ${missing.join(' ')}`, missing.join(' '));
}

/**
 * The one place that decides what a principal may do. The ceiling comes first (a read-only
 * credential never writes, whatever else it could reach), then the reach of the principal into
 * the organization or application named by the path, then (for application users and guests)
 * their roles and path permissions.
 */
export async function authorize(principal: Principal, request: AccessRequest, facts: AuthorizationFacts): Promise<Standing> {
  // QuickBlox's one exception to "an application session only reads" (reference §9): it manages
  // itself and signs users up. On every other write QuickBlox answers 422 "Forbidden. Need user."
  const ceilingExempt = request.rule === 'quickblox-session' || request.rule === 'quickblox-signup';
  if (request.action === 'write' && principal.ceiling === 'read' && !ceilingExempt) throw new ReadOnlyCredential();
  checkScopes(principal, request);

  switch (request.rule) {
    case 'anyone':
      return 'other';
    case 'authenticated':
      if (principal.kind === 'guest') throw new CredentialRequired();
      return 'other';
    case 'superuser':
      if (principal.kind !== 'superuser') deny(principal);
      return 'administrator';
    case 'organization-signup':
      if (principal.kind === 'superuser' || facts.organizationSignup) return 'other';
      deny(principal);
    case 'organization-admin': {
      const organization = request.organization;
      if (!organization || !(await administers(principal, organization.id, facts))) deny(principal);
      return 'administrator';
    }
    case 'organization-admin-user': {
      // Membership is read from the database on every request, so a removed admin's tokens lose
      // the organization on the very next one, on every instance.
      const organization = request.organization;
      const adminUser = principal.kind === 'superuser' || principal.kind === 'orgAdmin';
      if (!organization || !adminUser || !(await administers(principal, organization.id, facts))) deny(principal);
      return 'administrator';
    }
    case 'application-data':
    case 'quickblox-signup': {
      const { target, reach } = await reachesApplicationData(principal, request, facts);
      if (!(await mayChangeEntity(principal, target, reach, request, facts))) deny(principal);
      return 'other';
    }
    case 'quickblox-session':
      if (principal.credential.scheme !== 'QBToken') deny(principal);
      return 'owner';
    case 'quickblox-own-user': {
      const { target } = await reachesApplicationData(principal, request, facts);
      if (principal.kind !== 'appUser' || !(await pathUserIsCaller(principal, target, request, facts))) throw new NotYourRecord();
      return 'owner';
    }
    case 'quickblox-own-user-by-external-id': {
      // An alias of a destructive operation: the decision is made on the user the external id
      // resolves to, never on the id as given (a user's numeric id may be someone's external id).
      // Nobody, several and another user alike are 403, so the route tells no one which ids are taken.
      const resolved = await resolveExternalUser(principal, request, facts);
      if (!resolved || resolved.id !== String(principal.userId)) throw new NotYourRecord();
      return authorize(principal, resolved, facts);
    }
    case 'quickblox-own-object': {
      const { target, reach } = await reachesApplicationData(principal, request, facts);
      if (!(await mayChangeEntity(principal, target, reach, request, facts))) throw new NotYourRecord();
      return 'other';
    }
    case 'application-admin': {
      // An application user's token cannot mint tokens (Usergrid answers 403 the same way).
      if (!request.application || !(await administersApplication(principal, request.application, facts))) deny(principal);
      return 'administrator';
    }
    case 'application-user-self-or-admin': {
      // Usergrid lets any user with the Default role revoke anyone's tokens (reference §4): here
      // only the user themselves or an admin of the application may.
      const application = request.application;
      if (!application) deny(principal);
      if (await administersApplication(principal, application, facts)) return 'administrator';
      const ownUser = principal.kind === 'appUser' && principal.applicationId === application.id;
      if (!ownUser || !(await isSelf(principal, request.user, (ref) => facts.appUserIdOf(application.id, ref)))) deny(principal);
      // A third-party client's token acts for the user; signing them out everywhere is not its to do
      // (it revokes its own token at /oauth/revoke).
      if (await isDelegated(principal, facts)) throw new Forbidden("A third-party client's token may not revoke the user's other credentials");
      return 'owner';
    }
    case 'application-user-account': {
      // Usergrid lets whoever its path permissions allow (with the default role, any user) change
      // or delete any user, password included (reference §6.3): here an account is its owner's.
      const { target } = await reachesApplicationData(principal, request, facts);
      if (request.application && (await administersApplication(principal, request.application, facts))) return 'administrator';
      if (principal.kind !== 'appUser' || !(await pathUserIsCaller(principal, target, request, facts))) deny(principal);
      const fields = request.bodyFields ?? [];
      if (fields.includes('activated')) throw new Forbidden('Only an application admin activates or deactivates a user');
      const changesCredentials = request.method === 'delete' || fields.some((field) => credentialFields.has(field));
      if (changesCredentials && (await isDelegated(principal, facts))) {
        throw new Forbidden("A third-party client's token may not change the user's credentials or delete the user");
      }
      return 'owner';
    }
    case 'admin-user-self': {
      // Usergrid's management revocation has no check at all (reference §4).
      if (principal.kind === 'superuser') return 'administrator';
      if (principal.kind === 'orgAdmin' && (await isSelf(principal, request.user, facts.adminUserIdOf))) return 'owner';
      deny(principal);
    }
    case 'api-token-admin': {
      // An API token, even a full one, never manages API tokens: a leaked one cannot mint others
      // or outlive its revocation.
      if (principal.kind === 'apiToken') deny(principal);
      const organization = request.organization;
      if (!organization || !(await administers(principal, organization.id, facts))) deny(principal);
      return 'administrator';
    }
    default:
      // A rule this module does not know (a typo in the spec gets past the boot check only in a
      // test that bypasses it): nobody passes.
      return deny(principal);
  }
}
