import type { Knex } from 'knex';

/**
 * OAuth 2.0 clients of an application. The secret is kept only as the SHA-256 of a long random
 * value (null for public clients); redirect URIs and grant types are JSON text.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('oauth_clients', (t) => {
    t.increments('id').primary();
    t.string('client_id', 64).notNullable().unique();
    t.string('client_secret_hash', 64).nullable();
    t.integer('organization_id').notNullable().references('organizations.id').onDelete('CASCADE');
    t.integer('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.string('name', 128).notNullable();
    t.text('redirect_uris').notNullable();
    t.text('grant_types').notNullable();
    t.string('token_endpoint_auth_method', 32).notNullable();
    t.boolean('first_party').notNullable().defaultTo(false);
    t.bigInteger('created_at').notNullable();
    t.bigInteger('modified_at').notNullable();
    t.index(['application_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('oauth_clients');
}
