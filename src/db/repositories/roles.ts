import type { Knex } from 'knex';
import { namedRecords, type NamedRecord } from './named-records.js';

/** A role of an application; `name` is lower-case. */
export type RoleRecord = NamedRecord;

/** Where the roles of a user or of a group are linked. */
const holderLinks = { user: ['user_roles', 'user_id'], group: ['group_roles', 'group_id'] } as const;

export function rolesRepository(db: Knex) {
  const records = namedRecords(db, 'roles', 'name', 'role');
  return {
    ...records,
    /** A page of an application's roles, or of the roles given to a user or a group, in creation order. */
    list(applicationId: number, afterId: number, limit: number, of?: { kind: 'user' | 'group'; id: number }): Promise<RoleRecord[]> {
      const link = of && holderLinks[of.kind];
      return records.list(applicationId, afterId, limit, link && of ? db(link[0]).select('role_id').where(link[1], of.id) : undefined);
    },
  };
}
export type RolesRepository = ReturnType<typeof rolesRepository>;
