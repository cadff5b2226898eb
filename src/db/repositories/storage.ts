import type { Knex } from 'knex';
import { StorageQuotaExceeded } from '../../errors.js';

/**
 * What one application may store: bytes (entities' JSON and names, users' properties) and items
 * (entities and users; in Usergrid's words a user is an entity of type `user`).
 */
export interface StorageQuota {
  bytes: number;
  entities: number;
}

/**
 * Each application's running storage totals (`application_storage`), shared by every repository
 * whose rows count against the quota (entities, users). Every write that changes them runs in one
 * transaction that first takes the application's totals row (a conditional update, which PostgreSQL
 * locks; SQLite has one writer), so parallel writes to one application are counted one after the
 * other and the totals stay exact.
 */
const totals = (trx: Knex) => trx('application_storage');

/** Makes sure the totals row exists, then locks it for the rest of the transaction. */
export async function lockStorage(trx: Knex.Transaction, applicationId: number): Promise<void> {
  await totals(trx).insert({ application_id: applicationId, bytes: 0, entities: 0 }).onConflict('application_id').ignore();
  await totals(trx).where({ application_id: applicationId }).increment('bytes', 0);
}

/** Adds to the totals, or throws `StorageQuotaExceeded` when growth would pass the quota (shrinking always succeeds). */
export async function countStorage(trx: Knex.Transaction, applicationId: number, bytes: number, items: number, quota: StorageQuota): Promise<void> {
  const query = totals(trx).where({ application_id: applicationId });
  if (bytes > 0) query.andWhere('bytes', '<=', quota.bytes - bytes);
  if (items > 0) query.andWhere('entities', '<=', quota.entities - items);
  const changed = await query.increment({ bytes, entities: items });
  if (changed !== 1) throw new StorageQuotaExceeded();
}

/** Gives back what a deleted row held. */
export async function freeStorage(trx: Knex.Transaction, applicationId: number, bytes: number, items: number): Promise<void> {
  await totals(trx).where({ application_id: applicationId }).decrement({ bytes, entities: items });
}
