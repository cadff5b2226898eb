import type { AppSessionAccess, ApplicationRecord } from '../db/repositories/applications.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import { CredentialRequired, Forbidden, ReadOnlyCredential } from '../errors.js';
import { NotYourRecord, UserRequired } from '../quickblox/errors.js';
import type { GrantCache } from './grants.js';
import { permits, type Grants } from './permissions.js';
import type { Principal, PrincipalKind } from './principal.js';

/**
 * The rule an operation declares with `x-access` in the spec:
 * - `anyone`: no credential needed (token endpoints);
 * - `authenticated`: any principal but a guest;
 * - `organization-signup`: the superuser, or anyone when sign-up is enabled;
 * - `organization-admin`: someone who administers the organization in the path;
 * - `application-data`: someone who reaches the application in the path: its admins and clients,
 *   its API tokens, sessions and OAuth clients wholly; its users and guests as far as their roles
 *   and path permissions allow (see `reachOf` below);
 * - `superuser`: the superuser only;
 * - `application-admin`: someone who administers the application in the path (its organization's
 *   admins and client, its own client, its full API tokens);
 * - `application-user-self-or-admin`: the application user named by `{user}` themselves, or an
 *   application admin;
 * - `admin-user-self`: the admin user named by `{user}` themselves, or the superuser;
 * - `api-token-admin`: an organization admin, but never an API token;
 * - `quickblox-session`: the QuickBlox session itself (show it, log a user in or out, destroy it):
 *   any session, whatever its ceiling, since these change the session and not the application;
 * - `quickblox-signup`: `application-data`, and an application session may do it although it
 *   only reads: QuickBlox lets it do this one write, signing a user up (reference §9), and so does
 *   Tessera under `appsessionaccess: read-all`; under `guest`, only if guests may `POST /users`;
 * - `quickblox-own-user`: `application-data`, and only the user signed in to the session, on
 *   their own record (`{id}`);
 * - `quickblox-own-object`: `application-data`, and only the user who created the custom object
 *   (`{className}`, `{id}`); a missing object is left to the operation (404).
 */
export type AccessRule =
  | 'anyone'
  | 'authenticated'
  | 'organization-signup'
  | 'organization-admin'
  | 'application-data'
  | 'superuser'
  | 'application-admin'
  | 'application-user-self-or-admin'
  | 'admin-user-self'
  | 'api-token-admin'
  | 'quickblox-session'
  | 'quickblox-signup'
  | 'quickblox-own-user'
  | 'quickblox-own-object';
export type Action = 'read' | 'write';

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
}

/** What the decision may need to look up. */
export interface AuthorizationFacts {
  isOrganizationAdmin(organizationId: number, adminUserId: number): Promise<boolean>;
  organizationSignup: boolean;
  /** The id of the application user `ref` names, if any. */
  appUserIdOf(applicationId: number, ref: string): Promise<number | undefined>;
  /** The id of the admin user `ref` names, if any. */
  adminUserIdOf(ref: string): Promise<number | undefined>;
  /** The compiled grants of guests and application users. */
  grants: Pick<GrantCache, 'ofGuest' | 'ofUser'>;
  /** Who created a custom object: a user's id, 0 for nobody (made through `/{org}/{app}`), undefined when there is no such object. */
  customObjectCreatorOf(applicationId: number, className: string, id: string): Promise<number | undefined>;
  /** The application's `appsessionaccess`: how far its QuickBlox application sessions reach. */
  appSessionAccessOf(applicationId: number): Promise<AppSessionAccess>;
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
 * Usergrid's path permission check (reference §5.3 rule 5, §6): the union of the principal's
 * grants must allow the method on the path. A guest is refused with 401 (who are you?), anyone
 * else with 403 (Usergrid answers 401 to both).
 */
async function permitted(principal: Principal, target: Target, request: AccessRequest, facts: AuthorizationFacts): Promise<void> {
  const { method, resource } = request;
  const allow = (grants: Grants) => method !== undefined && resource !== undefined && permits(grants, method, resource);
  if (principal.kind === 'appSession') {
    const grants = await facts.grants.ofGuest(target.id);
    if (!grants || !allow(grants)) throw new UserRequired();
    return;
  }
  if (principal.kind === 'guest') {
    const grants = await facts.grants.ofGuest(target.id);
    if (!grants) throw new CredentialRequired('No application guest access authorized');
    if (!allow(grants)) throw new CredentialRequired('Anonymous callers may not do this; sign in');
    return;
  }
  // A user who no longer exists has no grants (their tokens were revoked with them anyway).
  const grants = principal.userId === undefined ? undefined : await facts.grants.ofUser(target.id, principal.userId);
  if (!grants || !allow(grants)) deny(principal);
}

/** `application-data`: the principal reaches the application (wholly, or as its roles allow); returns it. */
async function reachesApplicationData(principal: Principal, request: AccessRequest, facts: AuthorizationFacts): Promise<Target> {
  const target = targetOf(principal, request);
  if (!target) deny(principal);
  const reach = await reachOf[principal.kind](principal, target, facts);
  if (reach === 'none') deny(principal);
  if (reach === 'roles') await permitted(principal, target, request, facts);
  return target;
}

/**
 * The one place that decides what a principal may do. The ceiling comes first (a read-only
 * credential never writes, whatever else it could reach), then the reach of the principal into
 * the organization or application named by the path, then (for application users and guests)
 * their roles and path permissions.
 */
export async function authorize(principal: Principal, request: AccessRequest, facts: AuthorizationFacts): Promise<void> {
  // QuickBlox's one exception to "an application session only reads" (reference §9): it manages
  // itself and signs users up. On every other write QuickBlox answers 422 "Forbidden. Need user."
  const ceilingExempt = request.rule === 'quickblox-session' || request.rule === 'quickblox-signup';
  if (request.action === 'write' && principal.ceiling === 'read' && !ceilingExempt) throw new ReadOnlyCredential();

  switch (request.rule) {
    case 'anyone':
      return;
    case 'authenticated':
      if (principal.kind === 'guest') throw new CredentialRequired();
      return;
    case 'superuser':
      if (principal.kind !== 'superuser') deny(principal);
      return;
    case 'organization-signup':
      if (principal.kind === 'superuser' || facts.organizationSignup) return;
      deny(principal);
    case 'organization-admin': {
      const organization = request.organization;
      if (!organization || !(await administers(principal, organization.id, facts))) deny(principal);
      return;
    }
    case 'application-data':
    case 'quickblox-signup':
      await reachesApplicationData(principal, request, facts);
      return;
    case 'quickblox-session':
      if (principal.credential.scheme !== 'QBToken') deny(principal);
      return;
    case 'quickblox-own-user':
      await reachesApplicationData(principal, request, facts);
      if (principal.kind !== 'appUser' || String(principal.userId) !== request.id) throw new NotYourRecord();
      return;
    case 'quickblox-own-object': {
      const target = await reachesApplicationData(principal, request, facts);
      const creator = await facts.customObjectCreatorOf(target.id, request.className ?? '', request.id ?? '');
      if (creator !== undefined && (principal.kind !== 'appUser' || creator !== principal.userId)) throw new NotYourRecord();
      return;
    }
    case 'application-admin': {
      // An application user's token cannot mint tokens (Usergrid answers 403 the same way).
      if (!request.application || !(await administersApplication(principal, request.application, facts))) deny(principal);
      return;
    }
    case 'application-user-self-or-admin': {
      // Usergrid lets any user with the Default role revoke anyone's tokens (reference §4): here
      // only the user themselves or an admin of the application may.
      const application = request.application;
      if (!application) deny(principal);
      if (await administersApplication(principal, application, facts)) return;
      const ownUser = principal.kind === 'appUser' && principal.applicationId === application.id;
      if (ownUser && (await isSelf(principal, request.user, (ref) => facts.appUserIdOf(application.id, ref)))) return;
      deny(principal);
    }
    case 'admin-user-self': {
      // Usergrid's management revocation has no check at all (reference §4).
      if (principal.kind === 'superuser') return;
      if (principal.kind === 'orgAdmin' && (await isSelf(principal, request.user, facts.adminUserIdOf))) return;
      deny(principal);
    }
    case 'api-token-admin': {
      // An API token, even a full one, never manages API tokens: a leaked one cannot mint others
      // or outlive its revocation.
      if (principal.kind === 'apiToken') deny(principal);
      const organization = request.organization;
      if (!organization || !(await administers(principal, organization.id, facts))) deny(principal);
      return;
    }
  }
}
