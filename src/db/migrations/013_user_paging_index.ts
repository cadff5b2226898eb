import type { Knex } from 'knex';

/**
 * A page of an application's users (`where application_id = ? and id > ? order by id limit ?`)
 * walks this index in order and stops at the limit. Without it the database read every user of
 * the application and sorted them, on every page: a request's cost grew with the application.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('app_users', (t) => {
    t.index(['application_id', 'id'], 'app_users_application_page');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('app_users', (t) => {
    t.dropIndex(['application_id', 'id'], 'app_users_application_page');
  });
}
