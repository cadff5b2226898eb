import type { Knex } from 'knex';

/** Who holds a permission: a role, an application user or a group. */
export interface PermissionHolder {
  kind: 'role' | 'user' | 'group';
  id: number;
}

const tables = {
  role: ['role_permissions', 'role_id'],
  user: ['user_permissions', 'user_id'],
  group: ['group_permissions', 'group_id'],
} as const;

/** Permissions are stored normalized (auth/permissions.ts), so equal strings are equal permissions. */
export function permissionsRepository(db: Knex) {
  const of = (holder: PermissionHolder) => {
    const [table, column] = tables[holder.kind];
    return { query: () => db(table).where(column, holder.id), table, column };
  };
  return {
    async list(holder: PermissionHolder): Promise<string[]> {
      const rows = await of(holder).query().select<{ permission: string }[]>('permission').orderBy(['created_at', 'permission']);
      return rows.map((r) => r.permission);
    },
    /** Adds a permission; adding one the holder has already changes nothing. */
    async add(holder: PermissionHolder, permission: string, now: number): Promise<void> {
      const { table, column } = of(holder);
      await db(table).insert({ [column]: holder.id, permission, created_at: now }).onConflict([column, 'permission']).ignore();
    },
    /** Removes a permission; false when the holder did not have it. */
    async remove(holder: PermissionHolder, permission: string): Promise<boolean> {
      return (await of(holder).query().andWhere({ permission }).delete()) > 0;
    },
    /** The permissions of an application's role by name, or undefined when there is no such role (a guest's grants). */
    async ofRoleNamed(applicationId: number, name: string): Promise<string[] | undefined> {
      const rows = await db('roles as r')
        .leftJoin('role_permissions as p', 'p.role_id', 'r.id')
        .where({ 'r.application_id': applicationId, 'r.name': name })
        .select<{ permission: string | null }[]>('p.permission');
      if (rows.length === 0) return undefined;
      return rows.flatMap((r) => (r.permission === null ? [] : [r.permission]));
    },
    /**
     * Everything an application user is granted, in one query (reference §6.3, plus the groups'
     * own permissions, which Usergrid stores but ignores): the `default` role, the user's own
     * permissions, the user's roles, the roles of the user's groups and the groups' own permissions.
     */
    async ofUser(applicationId: number, userId: number): Promise<string[]> {
      const defaultRole = db('role_permissions as p')
        .join('roles as r', 'r.id', 'p.role_id')
        .where({ 'r.application_id': applicationId, 'r.name': 'default' })
        .select('p.permission');
      const own = db('user_permissions as p').where('p.user_id', userId).select('p.permission');
      const roles = db('role_permissions as p').join('user_roles as ur', 'ur.role_id', 'p.role_id').where('ur.user_id', userId).select('p.permission');
      const groupRoles = db('role_permissions as p')
        .join('group_roles as gr', 'gr.role_id', 'p.role_id')
        .join('group_users as gu', 'gu.group_id', 'gr.group_id')
        .where('gu.user_id', userId)
        .select('p.permission');
      const groups = db('group_permissions as p').join('group_users as gu', 'gu.group_id', 'p.group_id').where('gu.user_id', userId).select('p.permission');
      const rows = (await defaultRole.unionAll([own, roles, groupRoles, groups])) as { permission: string }[];
      return [...new Set(rows.map((r) => r.permission))];
    },
  };
}
export type PermissionsRepository = ReturnType<typeof permissionsRepository>;
