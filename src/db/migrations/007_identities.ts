import type { Knex } from 'knex';

/**
 * Identity by identity (issue: account takeover by look-alike usernames):
 * - usernames are unique per application (and admin usernames overall) whatever their case, so
 *   `Alice` and `alice` are one name; lookups by username compare lower-cased;
 * - an entity's creator (a QuickBlox custom object's `user_id`) moves out of its client-writable
 *   JSON into a column of its own that only the server sets.
 * A database that already holds two usernames differing only in case cannot be migrated silently:
 * the migration stops and names them, for an operator to rename one.
 */
export async function up(db: Knex): Promise<void> {
  await refuseCaseDuplicates(db, 'app_users', ['application_id']);
  await refuseCaseDuplicates(db, 'admin_users', []);
  await db.raw('create unique index app_users_username_any_case on app_users (application_id, lower(username))');
  await db.raw('create unique index admin_users_username_any_case on admin_users (lower(username))');

  await db.schema.alterTable('entities', (t) => {
    // No foreign key: a deleted creator's objects stay theirs (ids are never reused), so they do
    // not fall open to everyone.
    t.integer('creator_id').nullable();
  });
  const owned = await db('entities').select<{ id: number; data: string }[]>('id', 'data').where('data', 'like', '%"user_id"%');
  for (const row of owned) {
    const data = JSON.parse(row.data) as Record<string, unknown>;
    if (typeof data.user_id !== 'number' || !Number.isInteger(data.user_id) || data.user_id <= 0) continue;
    const creator = data.user_id;
    delete data.user_id;
    await db('entities').where({ id: row.id }).update({ creator_id: creator, data: JSON.stringify(data) });
  }
}

async function refuseCaseDuplicates(db: Knex, table: string, scope: string[]): Promise<void> {
  const duplicates = await db(table)
    .select(...scope, db.raw('lower(username) as name'))
    .count({ n: '*' })
    .groupBy(...scope, db.raw('lower(username)'))
    .having(db.raw('count(*)'), '>', 1);
  if (duplicates.length) {
    const names = duplicates.map((d) => (d as { name: string }).name).join(', ');
    throw new Error(`${table} holds usernames that differ only in case (${names}): rename one of each pair, then start again`);
  }
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index if exists app_users_username_any_case');
  await db.raw('drop index if exists admin_users_username_any_case');
  await db.schema.alterTable('entities', (t) => t.dropColumn('creator_id'));
}
