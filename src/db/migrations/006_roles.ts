import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * Roles, groups and path permissions of each application (reference/usergrid-auth.md §5–6).
 * Permissions live in one table per kind of holder (role, user, group) so that deleting the holder,
 * by whatever path, deletes its permissions with it (foreign keys, cascading); the same goes for
 * the user↔role, group↔user and group↔role links.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('roles', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable().unique();
    t.integer('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    // Lower-cased when stored, as Usergrid does.
    t.string('name', 64).notNullable();
    t.string('title', 256).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('modified_at').notNullable();
    t.unique(['application_id', 'name']);
  });

  await db.schema.createTable('app_groups', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable().unique();
    t.integer('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    // Usergrid names a group by its `path`.
    t.string('path', 64).notNullable();
    t.string('title', 256).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('modified_at').notNullable();
    t.unique(['application_id', 'path']);
  });

  const holders = [
    ['role_permissions', 'role_id', 'roles.id'],
    ['user_permissions', 'user_id', 'app_users.id'],
    ['group_permissions', 'group_id', 'app_groups.id'],
  ] as const;
  for (const [table, column, target] of holders) {
    await db.schema.createTable(table, (t) => {
      t.integer(column).notNullable().references(target).onDelete('CASCADE');
      // Stored normalized (auth/permissions.ts normalizePermission).
      t.string('permission', 512).notNullable();
      t.bigInteger('created_at').notNullable();
      t.primary([column, 'permission']);
    });
  }

  const links = [
    ['user_roles', 'user_id', 'app_users.id', 'role_id', 'roles.id'],
    ['group_users', 'group_id', 'app_groups.id', 'user_id', 'app_users.id'],
    ['group_roles', 'group_id', 'app_groups.id', 'role_id', 'roles.id'],
  ] as const;
  for (const [table, left, leftTarget, right, rightTarget] of links) {
    await db.schema.createTable(table, (t) => {
      t.integer(left).notNullable().references(leftTarget).onDelete('CASCADE');
      t.integer(right).notNullable().references(rightTarget).onDelete('CASCADE');
      t.bigInteger('created_at').notNullable();
      t.primary([left, right]);
      // Both directions are read: a user's roles and a role's users, say.
      t.index([right]);
    });
  }

  await giveExistingApplicationsTheirRoles(db);
}

/**
 * Applications created before roles existed get the built-in roles a new one gets. The values are
 * written out here rather than imported: a migration must do tomorrow what it did today.
 */
async function giveExistingApplicationsTheirRoles(db: Knex): Promise<void> {
  const everything = 'get,put,post,delete:/**';
  const now = Date.now();
  const applications = await db('applications').select<{ id: number; name: string }[]>('id', 'name');
  for (const application of applications) {
    const sandbox = application.name === 'sandbox';
    const builtIns = [
      { name: 'admin', title: 'Administrator', permissions: [] as string[] },
      { name: 'default', title: 'Default', permissions: [everything] },
      { name: 'guest', title: 'Guest', permissions: sandbox ? [everything] : ['post:/users'] },
    ];
    for (const role of builtIns) {
      const [row] = await db('roles')
        .insert({ uuid: randomUUID(), application_id: application.id, name: role.name, title: role.title, created_at: now, modified_at: now })
        .returning('id');
      const roleId = typeof row === 'object' ? (row as { id: number }).id : (row as number);
      for (const permission of role.permissions) await db('role_permissions').insert({ role_id: roleId, permission, created_at: now });
    }
  }
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['group_roles', 'group_users', 'user_roles', 'group_permissions', 'user_permissions', 'role_permissions', 'app_groups', 'roles']) {
    await db.schema.dropTableIfExists(table);
  }
}
