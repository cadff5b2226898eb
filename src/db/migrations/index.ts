import type { Knex } from 'knex';
import * as initial from './001_initial.js';
import * as auditEvents from './002_audit_events.js';
import * as quickbloxNonces from './003_quickblox_nonces.js';
import * as oauthClients from './004_oauth_clients.js';
import * as roles from './006_roles.js';
import * as identities from './007_identities.js';
import * as auditEventCounts from './008_audit_event_counts.js';
import * as quickbloxSessionSettings from './009_quickblox_session_settings.js';
import * as applicationStorage from './010_application_storage.js';
import * as usersInApplicationStorage from './012_users_in_application_storage.js';
import * as userPagingIndex from './013_user_paging_index.js';
import * as attemptCounters from './014_attempt_counters.js';
import * as userLastRequest from './015_user_last_request.js';
import * as settings from './016_settings.js';
import * as auditEventActors from './017_audit_event_actors.js';

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Knex.Migration> = {
  '001_initial': initial,
  '002_audit_events': auditEvents,
  '003_quickblox_nonces': quickbloxNonces,
  '004_oauth_clients': oauthClients,
  '006_roles': roles,
  '007_identities': identities,
  '008_audit_event_counts': auditEventCounts,
  '009_quickblox_session_settings': quickbloxSessionSettings,
  '010_application_storage': applicationStorage,
  '012_users_in_application_storage': usersInApplicationStorage,
  '013_user_paging_index': userPagingIndex,
  '014_attempt_counters': attemptCounters,
  '015_user_last_request': userLastRequest,
  '016_settings': settings,
  '017_audit_event_actors': auditEventActors,
};
