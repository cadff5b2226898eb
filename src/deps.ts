import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/knex.js';
import { openChangeFeed, singleInstanceFeed, type ChangeFeed } from './db/change-feed.js';
import { PermissionCache } from './auth/permission-cache.js';
import { bruteForceGuard, type BruteForceGuard } from './auth/attempts.js';
import { DatabaseThrottle } from './auth/throttle.js';
import { adminUsersRepository } from './db/repositories/admin-users.js';
import { applicationsRepository } from './db/repositories/applications.js';
import { attemptCountersRepository } from './db/repositories/attempt-counters.js';
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
import { noMetrics, type Metrics } from './metrics.js';
import type { SecretBox } from './secrets/secret-box.js';
import { TokenStore, type TransactionTokens } from './tokens/token-store.js';
import { TenantCache } from './db/tenant-cache.js';

/**
 * `bounds`: what the repositories enforce themselves (a page's bytes). `tenantChanged`: told of
 * every write to an organization, application or OAuth client row (the tenant cache's notice).
 */
export function repositoriesFor(db: Database, bounds: { pageMaxBytes: number }, tenantChanged: () => void = () => {}) {
  return {
    organizations: organizationsRepository(db, tenantChanged),
    adminUsers: adminUsersRepository(db),
    applications: applicationsRepository(db, tenantChanged),
    appUsers: appUsersRepository(db, bounds),
    entities: entitiesRepository(db, bounds),
    auditEvents: auditEventsRepository(db),
    attemptCounters: attemptCountersRepository(db),
    oauthClients: oauthClientsRepository(db, tenantChanged),
    quickbloxNonces: quickbloxNoncesRepository(db),
    roles: rolesRepository(db),
    groups: groupsRepository(db),
    permissions: permissionsRepository(db),
    memberships: membershipsRepository(db),
  };
}
export type Repositories = ReturnType<typeof repositoriesFor>;

/** What a transaction hands its work: the repositories, and the token store, bound to the transaction. */
export type Transaction = Repositories & { tokens: TransactionTokens };

/** Everything a handler or a domain function may use; passed in, never imported. */
export interface Deps {
  config: Config;
  clock: Clock;
  logger: Logger;
  db: Database;
  repositories: Repositories;
  tokens: TokenStore;
  secretBox: SecretBox;
  /** Brute-force protection for passwords and client secrets: one set of counters for every route. */
  bruteForceGuard: BruteForceGuard;
  /** Compiled role and permission grants; told of every change (`changed`). */
  permissionCache: PermissionCache;
  /** The organizations and applications that request paths name, and the clients requests authenticate as; told of every change by their repositories. */
  tenants: TenantCache;
  /** Carries every cache's changes to the other instances on the same PostgreSQL, and theirs here (nothing on SQLite). */
  changeFeed: ChangeFeed;
  /** What the server counts (requests, authentications, tokens, throttling, caches); `noMetrics` when metrics are off. */
  metrics: Metrics;
  /** Runs `work` in one database transaction: all of its writes land, or none. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
}

export function createDeps(given: { config: Config; clock: Clock; logger: Logger; db: Database; secretBox: SecretBox; metrics?: Metrics }): Deps {
  const parts = { ...given, metrics: given.metrics ?? noMetrics };
  const bounds = { pageMaxBytes: parts.config.pageMaxBytes };
  const changeFeed = openChangeFeed(parts.config.databaseUrl, parts.db, {
    trustWhileDownMs: parts.config.changeFeedTrustMs,
    retryForMs: Math.max(parts.config.tokenCacheTtlMs, parts.config.grantCacheTtlMs, parts.config.tenantCacheTtlMs),
    warn: (fields, message) => parts.logger.warn(fields, message),
    info: (fields, message) => parts.logger.info(fields, message),
  });
  const tenantChanged = () => {
    tenants.changed();
    void changeFeed.publish({ kind: 'tenants' });
  };
  const repositories = repositoriesFor(parts.db, bounds, tenantChanged);
  const tenants = new TenantCache(repositories, parts.clock, { ttlMs: parts.config.tenantCacheTtlMs, size: parts.config.tenantCacheSize }, parts.metrics.cache('tenant'));
  // The store is the only holder of the tokens repository: nothing writes a token row around it.
  const tokens = new TokenStore(
    tokensRepository(parts.db),
    parts.clock,
    { cacheTtlMs: parts.config.tokenCacheTtlMs, cacheSize: parts.config.tokenCacheSize, writeBehindMs: parts.config.tokenWriteBehindMs },
    changeFeed,
    parts.metrics,
  );
  const permissionCache = new PermissionCache(repositories, parts.clock, { ttlMs: parts.config.grantCacheTtlMs, size: parts.config.grantCacheSize }, changeFeed, parts.metrics.cache('permission'));
  // The one place the caches hear of other instances' changes.
  changeFeed.subscribe((change) => {
    switch (change.kind) {
      case 'tokens':
        return tokens.forget(change.hashes);
      case 'allTokens':
        return tokens.forget('all');
      case 'permissions':
        return permissionCache.changedElsewhere(change.applicationId);
      case 'tenants':
        return tenants.changed();
      case 'everything':
        tokens.forget('all');
        permissionCache.forgetAll();
        return tenants.changed();
    }
  });
  return {
    ...parts,
    repositories,
    tokens,
    bruteForceGuard: bruteForceGuard({
      // SQLite is one instance (the feed has nobody to tell): every attempt is counted by this process.
      throttle: new DatabaseThrottle(repositories.attemptCounters, parts.clock, { soleWriter: changeFeed === singleInstanceFeed }),
      auditEvents: repositories.auditEvents,
      clock: parts.clock,
      metrics: parts.metrics,
      organizations: {
        ofApplication: async (applicationId) => (await repositories.applications.findById(applicationId))?.organizationId,
        ofAdmin: async (adminUserId) => (await repositories.organizations.listForAdmin(adminUserId)).map((organization) => organization.id),
      },
    }),
    permissionCache,
    tenants,
    changeFeed,
    async transaction(work) {
      // A write inside empties the tenant cache at once and again after the commit: a lookup on
      // another connection in between may have cached the row as it was before the commit. The
      // other instances hear of it after the commit only, for the same reason.
      let changedTenant = false;
      const changedTokens: string[] = [];
      const result = await parts.db.transaction((trx) =>
        work({
          ...repositoriesFor(trx, bounds, () => {
            changedTenant = true;
            tenants.changed();
          }),
          tokens: tokens.inTransaction(tokensRepository(trx), changedTokens),
        }),
      );
      if (changedTenant) tenantChanged();
      await tokens.announce(changedTokens);
      return result;
    },
  };
}
