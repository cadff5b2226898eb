import type { Knex } from 'knex';
import * as initial from './001_initial.js';
import * as auditEvents from './002_audit_events.js';

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Knex.Migration> = {
  '001_initial': initial,
  '002_audit_events': auditEvents,
};
