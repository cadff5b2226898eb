import type { Knex } from 'knex';

/**
 * Portable across SQLite and PostgreSQL: integer ids, uuids as text, times as integer milliseconds
 * since the epoch, JSON documents as text, booleans as booleans (0/1 on SQLite).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('organizations', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable().unique();
    t.string('name', 64).notNullable().unique();
    t.string('client_id', 64).notNullable().unique();
    t.string('client_secret_hash', 64).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('modified_at').notNullable();
  });

  await db.schema.createTable('admin_users', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable().unique();
    t.string('username', 64).notNullable().unique();
    t.string('email', 254).notNullable().unique();
    t.string('name', 256).notNullable();
    t.string('password_hash', 256).notNullable();
    t.boolean('superuser').notNullable().defaultTo(false);
    t.boolean('activated').notNullable().defaultTo(true);
    t.bigInteger('password_changed_at').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('modified_at').notNullable();
  });

  await db.schema.createTable('organization_admins', (t) => {
    t.integer('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.integer('admin_user_id').notNullable().references('admin_users.id').onDelete('CASCADE');
    t.primary(['organization_id', 'admin_user_id']);
    t.index(['admin_user_id']);
  });

  await db.schema.createTable('applications', (t) => {
    // The id doubles as the QuickBlox `application_id`, an integer.
    t.increments('id').primary();
    t.string('uuid', 36).notNullable().unique();
    t.integer('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.string('name', 64).notNullable();
    t.string('client_id', 64).notNullable().unique();
    t.string('client_secret_hash', 64).notNullable();
    t.string('auth_key', 64).notNullable().unique();
    t.text('auth_secret_sealed').notNullable();
    t.bigInteger('access_token_ttl_ms').nullable();
    t.integer('session_ttl_s').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('modified_at').notNullable();
    t.unique(['organization_id', 'name']);
  });

  await db.schema.createTable('app_users', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable().unique();
    t.integer('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.string('username', 64).notNullable();
    t.string('email', 254).nullable();
    t.string('name', 256).nullable();
    t.string('password_hash', 256).notNullable();
    t.boolean('activated').notNullable().defaultTo(true);
    t.text('properties').notNullable();
    t.bigInteger('password_changed_at').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('modified_at').notNullable();
    t.unique(['application_id', 'username']);
    t.unique(['application_id', 'email']);
  });

  await db.schema.createTable('entities', (t) => {
    t.increments('id').primary();
    t.string('uuid', 36).notNullable().unique();
    t.integer('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.string('collection', 64).notNullable();
    t.string('name', 256).nullable();
    t.text('data').notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('modified_at').notNullable();
    t.unique(['application_id', 'collection', 'name']);
    t.index(['application_id', 'collection', 'id']);
  });

  // One store for every credential value the server issues, found by the SHA-256 of the value.
  await db.schema.createTable('tokens', (t) => {
    t.increments('id').primary();
    t.string('hash', 64).notNullable().unique();
    t.string('kind', 32).notNullable();
    t.string('principal_kind', 32).notNullable();
    t.integer('organization_id').nullable().references('organizations.id').onDelete('CASCADE');
    t.integer('application_id').nullable().references('applications.id').onDelete('CASCADE');
    t.string('subject_kind', 16).notNullable();
    t.integer('subject_id').nullable();
    t.string('ceiling', 8).notNullable();
    t.string('scopes', 256).nullable();
    t.string('client_id', 64).nullable();
    t.string('name', 256).nullable();
    t.string('family_id', 64).nullable();
    t.text('metadata').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').nullable();
    t.bigInteger('idle_ttl_ms').nullable();
    t.bigInteger('last_used_at').notNullable();
    t.bigInteger('revoked_at').nullable();
    t.index(['subject_kind', 'subject_id']);
    t.index(['family_id']);
    t.index(['application_id', 'kind']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['tokens', 'entities', 'app_users', 'applications', 'organization_admins', 'admin_users', 'organizations']) {
    await db.schema.dropTableIfExists(table);
  }
}
