import type { Knex } from 'knex';
import { namedRecords, type NamedRecord } from './named-records.js';

/** A group of an application's users; `name` is what Usergrid calls its `path`, lower-case. */
export type GroupRecord = NamedRecord;

export function groupsRepository(db: Knex) {
  const records = namedRecords(db, 'app_groups', 'path', 'group');
  return {
    ...records,
    /** A page of an application's groups, or of the groups given a role, in creation order. */
    list(applicationId: number, afterId: number, limit: number, of?: { kind: 'role'; id: number }): Promise<GroupRecord[]> {
      return records.list(applicationId, afterId, limit, of && db('group_roles').select('group_id').where('role_id', of.id));
    },
  };
}
export type GroupsRepository = ReturnType<typeof groupsRepository>;
