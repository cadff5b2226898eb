import type { AdminUserRecord } from '../db/repositories/admin-users.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { AppUserRecord } from '../db/repositories/app-users.js';
import type { EntityRecord } from '../db/repositories/entities.js';
import type { GroupRecord } from '../db/repositories/groups.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import type { RoleRecord } from '../db/repositories/roles.js';
import type { Repositories } from '../deps.js';
import type { components } from '../../generated/openapi.js';

type Schemas = components['schemas'];

/** How records look on the wire: the spec's schemas, never a password hash or a secret. */
export function organizationView(organization: OrganizationRecord, applications: ApplicationRecord[]): Schemas['Organization'] {
  return {
    uuid: organization.uuid,
    name: organization.name,
    created: organization.createdAt,
    modified: organization.modifiedAt,
    applications: Object.fromEntries(applications.map((a) => [`${organization.name}/${a.name}`, a.uuid])),
  };
}

export async function organizationViewOf(repositories: Pick<Repositories, 'applications'>, organization: OrganizationRecord) {
  return organizationView(organization, await repositories.applications.listByOrganization(organization.id));
}

export async function adminUserView(repositories: Pick<Repositories, 'organizations' | 'applications'>, admin: AdminUserRecord): Promise<Schemas['AdminUser']> {
  const organizations = await repositories.organizations.listForAdmin(admin.id);
  const views = await Promise.all(organizations.map((o) => organizationViewOf(repositories, o)));
  return {
    uuid: admin.uuid,
    username: admin.username,
    email: admin.email,
    name: admin.name,
    activated: admin.activated,
    superuser: admin.superuser,
    organizations: Object.fromEntries(views.map((v) => [v.name, v])),
  };
}

/** An admin user as an organization's list shows them: no other organization of theirs, no superuser flag. */
export function organizationAdminView(admin: AdminUserRecord): Schemas['OrganizationAdmin'] {
  return { uuid: admin.uuid, username: admin.username, email: admin.email, name: admin.name, activated: admin.activated };
}

export function applicationView(application: ApplicationRecord, organizationName: string): Schemas['Application'] {
  return {
    uuid: application.uuid,
    name: application.name,
    organization: organizationName,
    created: application.createdAt,
    modified: application.modifiedAt,
    settings: {
      accesstokenttl: application.accessTokenTtlMs,
      sessionttl: application.sessionTtlS,
      sessionlifetime: application.sessionLifetimeS,
      appsessionaccess: application.appSessionAccess,
    },
    credentials: { client_id: application.clientId, application_id: application.id, auth_key: application.authKey },
  };
}

export function userView(user: AppUserRecord): Schemas['User'] {
  return {
    ...user.properties,
    uuid: user.uuid,
    type: 'user',
    id: user.id,
    username: user.username,
    ...(user.email !== null && { email: user.email }),
    ...(user.name !== null && { name: user.name }),
    activated: user.activated,
    created: user.createdAt,
    modified: user.modifiedAt,
  };
}

export function entityView(entity: EntityRecord): Schemas['Entity'] {
  return {
    ...entity.data,
    uuid: entity.uuid,
    type: entity.collection,
    ...(entity.name !== null && { name: entity.name }),
    created: entity.createdAt,
    modified: entity.modifiedAt,
  };
}

/** Usergrid's role entity; `inactivity` is always 0 (Tessera refuses other values rather than ignore them). */
export function roleView(role: RoleRecord): Schemas['Role'] {
  const path = `/roles/${role.uuid}`;
  return {
    uuid: role.uuid,
    type: 'role',
    name: role.name,
    roleName: role.name,
    title: role.title,
    inactivity: 0,
    created: role.createdAt,
    modified: role.modifiedAt,
    metadata: { path, sets: { permissions: `${path}/permissions` }, collections: { users: `${path}/users`, groups: `${path}/groups` } },
  };
}

export function groupView(group: GroupRecord): Schemas['Group'] {
  const path = `/groups/${group.uuid}`;
  return {
    uuid: group.uuid,
    type: 'group',
    path: group.name,
    title: group.title,
    created: group.createdAt,
    modified: group.modifiedAt,
    metadata: { path, sets: { permissions: `${path}/permissions` }, collections: { users: `${path}/users`, roles: `${path}/roles` } },
  };
}
