import type { Knex } from 'knex';

/**
 * Audit events readable by an organization's admins (issue 16): who did it (`actor`, JSON: a kind
 * and the ids and names that identify it, never a credential), and an index for listing one
 * organization's events newest first by id, the order its pages follow.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_events', (t) => {
    t.text('actor').nullable();
    t.index(['organization_id', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('audit_events', (t) => {
    t.dropIndex(['organization_id', 'id']);
    t.dropColumn('actor');
  });
}
