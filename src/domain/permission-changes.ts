import { normalizePermission } from '../auth/permissions.js';
import type { Link } from '../db/repositories/memberships.js';
import type { PermissionHolder } from '../db/repositories/permissions.js';
import type { Deps } from '../deps.js';
import { NotFound } from '../errors.js';

/**
 * Changes to who may do what: permissions of roles, users and groups, and the links that hand
 * roles out (user↔role, group↔user, group↔role). Each one tells the grant cache, so the very next
 * request is decided by the new rules.
 */

/** A role, user or group of one application. */
export interface Holder extends PermissionHolder {
  applicationId: number;
}

type PermissionChangeDeps = Pick<Deps, 'repositories' | 'clock' | 'permissionCache'>;

export function listPermissions(deps: Pick<Deps, 'repositories'>, holder: Holder): Promise<string[]> {
  return deps.repositories.permissions.list(holder);
}

/** Adds a permission (stored normalized); returns all the holder's permissions. */
export async function grantPermission(deps: PermissionChangeDeps, holder: Holder, permission: string): Promise<string[]> {
  await deps.repositories.permissions.add(holder, normalizePermission(permission), deps.clock.now());
  deps.permissionCache.changed(holder.applicationId);
  return listPermissions(deps, holder);
}

/** Removes a permission, however it is spelled; 404 when the holder does not have it. Returns the rest. */
export async function revokePermission(deps: PermissionChangeDeps, holder: Holder, permission: string): Promise<string[]> {
  const normalized = normalizePermission(permission);
  if (!(await deps.repositories.permissions.remove(holder, normalized))) throw new NotFound(`No permission ${normalized} here`, 'entity_not_found');
  deps.permissionCache.changed(holder.applicationId);
  return listPermissions(deps, holder);
}

/** Links a user to a role, a user to a group or a role to a group (`left` and `right` in the order of `link`'s name). */
export async function addLink(deps: PermissionChangeDeps, applicationId: number, link: Link, leftId: number, rightId: number): Promise<void> {
  await deps.repositories.memberships.add(link, leftId, rightId, deps.clock.now());
  deps.permissionCache.changed(applicationId);
}

/** Removes a link; 404 when there was none. */
export async function removeLink(deps: PermissionChangeDeps, applicationId: number, link: Link, leftId: number, rightId: number): Promise<void> {
  if (!(await deps.repositories.memberships.remove(link, leftId, rightId))) throw new NotFound('Not linked', 'entity_not_found');
  deps.permissionCache.changed(applicationId);
}
