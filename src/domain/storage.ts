import type { ApplicationRecord } from '../db/repositories/applications.js';
import { storedSize } from '../db/repositories/entities.js';
import type { StorageQuota } from '../db/repositories/storage.js';
import type { Config } from '../config.js';
import type { Repositories } from '../deps.js';
import { EntityTooLarge, NotFound } from '../errors.js';
import { sandboxApplicationName } from './organizations.js';

type Bounds = Pick<Config, 'entityMaxBytes' | 'storageQuotaBytes' | 'storageQuotaEntities' | 'sandboxQuotaBytes' | 'sandboxQuotaEntities'>;

/**
 * What an application may store in entities and users. Each organization's sandbox lets anonymous callers
 * write (its guest role grants everything), so it gets a small quota; other applications a large one.
 */
export function storageQuotaOf(config: Bounds, application: Pick<ApplicationRecord, 'name'>): StorageQuota {
  return application.name === sandboxApplicationName
    ? { bytes: config.sandboxQuotaBytes, entities: config.sandboxQuotaEntities }
    : { bytes: config.storageQuotaBytes, entities: config.storageQuotaEntities };
}

/** The same, for code that knows only the application's id (QuickBlox sessions). */
export async function storageQuotaOfId(deps: { config: Bounds; repositories: Pick<Repositories, 'applications'> }, applicationId: number): Promise<StorageQuota> {
  const application = await deps.repositories.applications.findById(applicationId);
  if (!application) throw new NotFound('No such application');
  return storageQuotaOf(deps.config, application);
}

/** Refuses an entity (or custom object) whose stored JSON would pass the per-entity bound, before anything is written. */
export function checkEntitySize(config: Bounds, name: string | null, data: Record<string, unknown>): void {
  if (storedSize(name, data) > config.entityMaxBytes) throw new EntityTooLarge(config.entityMaxBytes);
}
