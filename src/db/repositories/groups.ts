import type { Knex } from 'knex';
import { namedRecords, type NamedRecord } from './named-records.js';

/** A group of an application's users; `name` is what Usergrid calls its `path`, lower-case. */
export type GroupRecord = NamedRecord;

export function groupsRepository(db: Knex) {
  return namedRecords(db, 'app_groups', 'path', 'group');
}
export type GroupsRepository = ReturnType<typeof groupsRepository>;
