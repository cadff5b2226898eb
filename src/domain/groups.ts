import { randomUUID } from 'node:crypto';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { GroupRecord } from '../db/repositories/groups.js';
import { onDuplicate } from '../db/duplicates.js';
import type { Deps } from '../deps.js';
import { Conflict, NotFound } from '../errors.js';
import { refuseUuidName } from './roles.js';

export async function createGroup(deps: Pick<Deps, 'repositories' | 'clock'>, application: ApplicationRecord, input: { path: string; title?: string }): Promise<GroupRecord> {
  const path = input.path.toLowerCase();
  refuseUuidName(path, 'group');
  const now = deps.clock.now();
  // A new group has no members, roles or permissions: no one's grants change.
  return deps.repositories.groups
    .insert({ uuid: randomUUID(), applicationId: application.id, name: path, title: input.title ?? path, createdAt: now, modifiedAt: now })
    .catch(onDuplicate(() => new Conflict(`The application already has a group named ${path}`)));
}

export async function findGroup(deps: Pick<Deps, 'repositories'>, application: ApplicationRecord, ref: string): Promise<GroupRecord> {
  const group = await deps.repositories.groups.find(application.id, ref);
  if (!group) throw new NotFound(`No group ${ref}`, 'entity_not_found');
  return group;
}

export async function updateGroup(deps: Pick<Deps, 'repositories' | 'clock'>, group: GroupRecord, input: { title?: string }): Promise<GroupRecord> {
  const now = deps.clock.now();
  await deps.repositories.groups.update(group.id, { title: input.title }, now);
  return { ...group, title: input.title ?? group.title, modifiedAt: now };
}

/** Deletes a group: its members lose what it gave them on the next request. */
export async function deleteGroup(deps: Pick<Deps, 'repositories' | 'permissionCache'>, group: GroupRecord): Promise<void> {
  await deps.repositories.groups.delete(group.id);
  deps.permissionCache.changed(group.applicationId);
}
