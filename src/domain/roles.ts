import { randomUUID } from 'node:crypto';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { RoleRecord } from '../db/repositories/roles.js';
import { onDuplicate } from '../db/duplicates.js';
import type { Deps, Repositories } from '../deps.js';
import { Conflict, IllegalArgument, NotFound } from '../errors.js';

/** Every operation on every path of the application. */
const everything = 'get,put,post,delete:/**';

/**
 * Usergrid's built-in roles (reference §5.1): `guest` is what anonymous callers may do, `default`
 * what every signed-in user may do, `admin` holds nothing until given something. An open
 * application (the organization's `sandbox`) lets guests do everything too.
 */
function builtInRoles(open: boolean): { name: string; title: string; permissions: string[] }[] {
  return [
    { name: 'admin', title: 'Administrator', permissions: [] },
    { name: 'default', title: 'Default', permissions: [everything] },
    { name: 'guest', title: 'Guest', permissions: open ? [everything] : ['post:/users'] },
  ];
}

/** Gives a new application its built-in roles; `open` for a sandbox. */
export async function createBuiltInRoles(
  repositories: Pick<Repositories, 'roles' | 'permissions'>,
  applicationId: number,
  options: { open: boolean },
  now: number,
): Promise<void> {
  for (const role of builtInRoles(options.open)) {
    const { id } = await repositories.roles.insert({ uuid: randomUUID(), applicationId, name: role.name, title: role.title, createdAt: now, modifiedAt: now });
    for (const permission of role.permissions) await repositories.permissions.add({ kind: 'role', id }, permission, now);
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A name that reads as a uuid could not be told from one in a path. */
export function refuseUuidName(name: string, what: string): void {
  if (uuidPattern.test(name)) throw new IllegalArgument(`A ${what} name cannot have the shape of a uuid`);
}

/** Usergrid's `inactivity` drops a role from tokens idle for longer; Tessera says so instead of storing a rule it would not apply. */
function refuseInactivity(inactivity: number | undefined): void {
  if (inactivity !== undefined && inactivity !== 0) {
    throw new IllegalArgument("Role inactivity is not supported (only 0); limit idle tokens with the application's accesstokenttl instead");
  }
}

export async function createRole(
  deps: Pick<Deps, 'repositories' | 'clock' | 'permissionCache'>,
  application: ApplicationRecord,
  input: { name: string; title?: string; inactivity?: number },
): Promise<RoleRecord> {
  const name = input.name.toLowerCase();
  refuseUuidName(name, 'role');
  refuseInactivity(input.inactivity);
  const now = deps.clock.now();
  const role = await deps.repositories.roles
    .insert({ uuid: randomUUID(), applicationId: application.id, name, title: input.title ?? name, createdAt: now, modifiedAt: now })
    .catch(onDuplicate(() => new Conflict(`The application already has a role named ${name}`)));
  // A role named `default` or `guest` changes what everyone may do, even with no permission yet.
  deps.permissionCache.changed(application.id);
  return role;
}

export async function findRole(deps: Pick<Deps, 'repositories'>, application: ApplicationRecord, ref: string): Promise<RoleRecord> {
  const role = await deps.repositories.roles.find(application.id, ref);
  if (!role) throw new NotFound(`No role ${ref}`, 'entity_not_found');
  return role;
}

export async function updateRole(deps: Pick<Deps, 'repositories' | 'clock'>, role: RoleRecord, input: { title?: string; inactivity?: number }): Promise<RoleRecord> {
  refuseInactivity(input.inactivity);
  const now = deps.clock.now();
  await deps.repositories.roles.update(role.id, { title: input.title }, now);
  return { ...role, title: input.title ?? role.title, modifiedAt: now };
}

/** Deletes a role (built-in ones too: deleting `default` locks an application down); effective on the next request. */
export async function deleteRole(deps: Pick<Deps, 'repositories' | 'permissionCache'>, role: RoleRecord): Promise<void> {
  await deps.repositories.roles.delete(role.id);
  deps.permissionCache.changed(role.applicationId);
}
