import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { noMetrics, type CacheMeter } from '../metrics.js';
import type { ApplicationRecord, ApplicationsRepository } from './repositories/applications.js';
import type { OrganizationRecord, OrganizationsRepository } from './repositories/organizations.js';

export interface TenantCacheOptions {
  /** How long a record is trusted without a change notice: the bound for changes made by another instance. */
  ttlMs: number;
  /** How many organizations and applications it holds. */
  size: number;
}

interface Entry {
  record: OrganizationRecord | ApplicationRecord;
  loadedAt: number;
}

/**
 * The organizations and applications that request paths name (`/{org}/{app}/…`), so that almost
 * every request does not start with two lookups. Names and uuids never change, so what can go
 * stale is a record's settings and secret hashes: every write to either table goes through its
 * repository, which calls `changed()` (and again after the transaction commits), emptying this
 * cache at once, so the very next request on this instance reads the new row. The same callback
 * tells the other instances (after the commit, `Deps.transaction`), whose change feed calls
 * `changed()` on theirs; `ttlMs` still bounds an entry's age should a notice be lost. An unknown name is never cached: a created organization is found at once, and
 * requests for made-up names cannot fill the cache with them.
 */
export class TenantCache {
  private readonly cache: LRUCache<string, Entry>;
  /** Bumped by every change; a lookup that read a row while one happened does not keep what it read. */
  private generation = 0;

  constructor(
    private readonly repositories: { organizations: Pick<OrganizationsRepository, 'find'>; applications: Pick<ApplicationsRepository, 'findInOrganization'> },
    private readonly clock: Clock,
    private readonly options: TenantCacheOptions,
    private readonly meter: CacheMeter = noMetrics.cache('tenant'),
  ) {
    this.cache = new LRUCache({ max: options.size });
  }

  organization(ref: string): Promise<OrganizationRecord | undefined> {
    return this.cached(`o ${ref}`, () => this.repositories.organizations.find(ref)) as Promise<OrganizationRecord | undefined>;
  }

  application(organizationId: number, ref: string): Promise<ApplicationRecord | undefined> {
    return this.cached(`a ${organizationId} ${ref}`, () => this.repositories.applications.findInOrganization(organizationId, ref)) as Promise<ApplicationRecord | undefined>;
  }

  /** An organization or application row changed: nothing cached is trusted any more. */
  changed(): void {
    this.generation++;
    this.cache.clear();
  }

  private async cached(key: string, load: () => Promise<OrganizationRecord | ApplicationRecord | undefined>) {
    const now = this.clock.now();
    const entry = this.cache.get(key);
    if (entry && now - entry.loadedAt < this.options.ttlMs) {
      this.meter.hit();
      return entry.record;
    }
    this.meter.miss();
    const generation = this.generation;
    const record = await load();
    // Frozen: a handler that changed a shared record in place would change it for every request.
    if (record && generation === this.generation) this.cache.set(key, { record: Object.freeze(record), loadedAt: now });
    return record;
  }
}
