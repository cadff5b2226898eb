import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { noMetrics, type CacheMeter } from '../metrics.js';
import type { ApplicationRecord, ApplicationsRepository } from './repositories/applications.js';
import type { OAuthClientRecord, OAuthClientsRepository } from './repositories/oauth-clients.js';
import type { OrganizationRecord, OrganizationsRepository } from './repositories/organizations.js';

export interface TenantCacheOptions {
  /** How long a record is trusted without a change notice: the bound for changes made by another instance. */
  ttlMs: number;
  /** How many records (organizations, applications, OAuth clients, by each name they are looked up by) it holds. */
  size: number;
}

type TenantRecord = OrganizationRecord | ApplicationRecord | OAuthClientRecord;

interface Entry {
  record: TenantRecord;
  loadedAt: number;
}

/**
 * The organizations and applications that request paths name (`/{org}/{app}/…`), so that almost
 * every request does not start with two lookups; the same records, and OAuth clients, by the
 * client id a request authenticates with (Usergrid client credentials, OAuth client
 * authentication): reading the client row was 7% of the server's busy time under introspection and
 * `client_credentials` (issue 12's profiles); and applications by the id a token, an OAuth client
 * or a QuickBlox session request names. Names, uuids and client ids never change, so what can
 * go stale is a record's settings and secret hashes, and whether a client exists: every write to
 * these three tables goes through its repository, which calls `changed()` (and again after the
 * transaction commits), emptying this cache at once, so the very next request on this instance
 * reads the new row (a rotated secret, a deleted client). The same callback tells the other
 * instances (after the commit, `Deps.transaction`), whose change feed calls `changed()` on theirs;
 * `ttlMs` still bounds an entry's age should a notice be lost. An unknown name or client id is
 * never cached: a created organization or client is found at once, and requests for made-up names
 * cannot fill the cache with them.
 */
/** A record and every array or object in it, frozen (records are plain data: rows read by a repository). */
function frozen<T extends object>(record: T): T {
  for (const value of Object.values(record)) if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) frozen(value);
  return Object.freeze(record);
}

export class TenantCache {
  private readonly cache: LRUCache<string, Entry>;
  /** Bumped by every change; a lookup that read a row while one happened does not keep what it read. */
  private generation = 0;

  constructor(
    private readonly repositories: {
      organizations: Pick<OrganizationsRepository, 'find' | 'findByClientId'>;
      applications: Pick<ApplicationsRepository, 'findInOrganization' | 'findByClientId' | 'findById'>;
      oauthClients: Pick<OAuthClientsRepository, 'findByClientId'>;
    },
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

  /**
   * An application by its id, as a token or an OAuth client names it. For what a request reads of
   * it (its uuid, its settings), not for a check that must see the row as it is now: such a check
   * reads the repository (a QuickBlox session's secret after it is issued, `openSession`).
   */
  applicationById(id: number): Promise<ApplicationRecord | undefined> {
    return this.cached(`ai ${id}`, () => this.repositories.applications.findById(id)) as Promise<ApplicationRecord | undefined>;
  }

  /** The organization whose Usergrid client id this is (a rotated secret: see `changed`). */
  organizationByClientId(clientId: string): Promise<OrganizationRecord | undefined> {
    return this.cached(`oc ${clientId}`, () => this.repositories.organizations.findByClientId(clientId)) as Promise<OrganizationRecord | undefined>;
  }

  /** The application whose Usergrid client id this is. */
  applicationByClientId(clientId: string): Promise<ApplicationRecord | undefined> {
    return this.cached(`ac ${clientId}`, () => this.repositories.applications.findByClientId(clientId)) as Promise<ApplicationRecord | undefined>;
  }

  /** The OAuth client of this client id (a deleted one is gone from here at once: see `changed`). */
  oauthClient(clientId: string): Promise<OAuthClientRecord | undefined> {
    return this.cached(`c ${clientId}`, () => this.repositories.oauthClients.findByClientId(clientId)) as Promise<OAuthClientRecord | undefined>;
  }

  /** An organization, application or OAuth client row changed: nothing cached is trusted any more. */
  changed(): void {
    this.generation++;
    this.cache.clear();
  }

  private async cached(key: string, load: () => Promise<TenantRecord | undefined>) {
    const now = this.clock.now();
    const entry = this.cache.get(key);
    if (entry && now - entry.loadedAt < this.options.ttlMs) {
      this.meter.hit();
      return entry.record;
    }
    this.meter.miss();
    const generation = this.generation;
    const record = await load();
    // Frozen, arrays too (an OAuth client's redirect URIs and grant types): a handler that changed a
    // shared record in place would change it for every request.
    if (record && generation === this.generation) this.cache.set(key, { record: frozen(record), loadedAt: now });
    return record;
  }
}
