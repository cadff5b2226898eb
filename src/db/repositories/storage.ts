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

/**
 * Changes or deletes one row that counts against its application's quota: in one transaction that
 * holds the application's totals, `work` gets the row's counted columns as they are now (so the
 * growth or the room freed is measured from what is stored, not from what a caller read earlier).
 * Nothing happens when the row is gone.
 */
export async function changeCountedRow<Before>(
  db: Knex,
  table: string,
  id: number,
  counted: readonly string[],
  work: (trx: Knex.Transaction, applicationId: number, before: Before) => Promise<void>,
): Promise<void> {
  const current = await db(table).select('application_id').where({ id }).first<{ application_id: number } | undefined>();
  if (!current) return;
  await db.transaction(async (trx) => {
    await lockStorage(trx, current.application_id);
    const before = (await trx(table).select(...counted).where({ id }).first()) as Before | undefined;
    if (before) await work(trx, current.application_id, before);
  });
}
