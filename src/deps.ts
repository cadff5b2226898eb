import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/knex.js';
import { GrantCache } from './auth/grants.js';
import { MemoryThrottle, type Throttle } from './auth/throttle.js';
import { adminUsersRepository } from './db/repositories/admin-users.js';
import { applicationsRepository } from './db/repositories/applications.js';
import { auditEventsRepository } from './db/repositories/audit-events.js';
import { appUsersRepository } from './db/repositories/app-users.js';
import { entitiesRepository } from './db/repositories/entities.js';
import { groupsRepository } from './db/repositories/groups.js';
import { membershipsRepository } from './db/repositories/memberships.js';
import { oauthClientsRepository } from './db/repositories/oauth-clients.js';
import { organizationsRepository } from './db/repositories/organizations.js';
import { permissionsRepository } from './db/repositories/permissions.js';
import { quickbloxNoncesRepository } from './db/repositories/quickblox-nonces.js';
import { rolesRepository } from './db/repositories/roles.js';
import { tokensRepository } from './db/repositories/tokens.js';
import type { SecretBox } from './secrets/secret-box.js';
import { TokenStore } from './tokens/token-store.js';

/** `bounds`: what the repositories enforce themselves (a page's bytes). */
export function repositoriesFor(db: Database, bounds: { pageMaxBytes: number }) {
  return {
    organizations: organizationsRepository(db),
    adminUsers: adminUsersRepository(db),
    applications: applicationsRepository(db),
    appUsers: appUsersRepository(db, bounds),
    entities: entitiesRepository(db, bounds),
    tokens: tokensRepository(db),
    auditEvents: auditEventsRepository(db),
    oauthClients: oauthClientsRepository(db),
    quickbloxNonces: quickbloxNoncesRepository(db),
    roles: rolesRepository(db),
    groups: groupsRepository(db),
    permissions: permissionsRepository(db),
    memberships: membershipsRepository(db),
  };
}
export type Repositories = ReturnType<typeof repositoriesFor>;

/** Everything a handler or a domain function may use; passed in, never imported. */
export interface Deps {
  config: Config;
  clock: Clock;
  logger: Logger;
  db: Database;
  repositories: Repositories;
  tokens: TokenStore;
  secretBox: SecretBox;
  /** Brute-force protection for passwords and client secrets. */
  throttle: Throttle;
  /** Compiled role and permission grants; told of every change (`changed`). */
  grants: GrantCache;
  /** Runs `work` in one database transaction: all of its writes land, or none. */
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}

export function createDeps(parts: { config: Config; clock: Clock; logger: Logger; db: Database; secretBox: SecretBox }): Deps {
  const bounds = { pageMaxBytes: parts.config.pageMaxBytes };
  const repositories = repositoriesFor(parts.db, bounds);
  return {
    ...parts,
    repositories,
    tokens: new TokenStore(repositories.tokens, parts.clock, {
      cacheTtlMs: parts.config.tokenCacheTtlMs,
      cacheSize: parts.config.tokenCacheSize,
      writeBehindMs: parts.config.tokenWriteBehindMs,
    }),
    throttle: new MemoryThrottle(parts.clock),
    grants: new GrantCache(repositories, parts.clock, { ttlMs: parts.config.grantCacheTtlMs, size: parts.config.grantCacheSize }),
    transaction: (work) => parts.db.transaction((trx) => work(repositoriesFor(trx, bounds))),
  };
}
