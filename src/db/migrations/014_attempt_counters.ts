import type { Knex } from 'knex';

/**
 * The brute-force counters (issue 14), shared by every instance on the database so that N
 * instances behind a round robin give no more guesses than one, and a restart forgets nothing.
 * One row per counter key (an account, or an account seen from one source); `expires_at` is when
 * the row can no longer matter (the throttle computes it from the counter's rule), so the sweeper
 * needs no knowledge of the rules. Known sources: a source that proved an account's password,
 * remembered until `expires_at`.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('attempt_counters', (t) => {
    t.text('key').primary();
    /** Failures counted, the ones reserved by checks still running included; fractional while forgiven. */
    t.double('count').notNullable();
    /** A JSON array of when each check still running under the key was let through; at most the rule's checks in flight (4). */
    t.text('reservations').notNullable();
    /** Milliseconds since the epoch, as every time in the schema. */
    t.bigInteger('last_failure_at').notNullable();
    t.bigInteger('forgiven_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
  });
  await db.schema.createTable('known_sign_in_sources', (t) => {
    t.text('key').primary();
    t.bigInteger('expires_at').notNullable();
    t.index(['expires_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('known_sign_in_sources');
  await db.schema.dropTableIfExists('attempt_counters');
}
