import type { Knex } from 'knex';
import { refusingDuplicates } from '../duplicates.js';
import { byteLengthSql } from '../knex.js';
import { changeCountedRow, countStorage, freeStorage, lockStorage, type StorageQuota } from './storage.js';

export interface EntityRecord {
  id: number;
  uuid: string;
  applicationId: number;
  collection: string;
  name: string | null;
  data: Record<string, unknown>;
  /** The application user who created it (a QuickBlox custom object's `user_id`); set by the server only. */
  creatorId: number | null;
  createdAt: number;
  modifiedAt: number;
}

/** A page cut by count or by bytes; `more` says whether items remain after it. */
export interface BoundedList<T> {
  items: T[];
  more: boolean;
}

/** The columns an entity's size is measured on. */
type Stored = { name: string | null; data: string };

type Row = {
  id: number; uuid: string; application_id: number; collection: string; name: string | null; data: string; creator_id: number | null;
  created_at: number; modified_at: number;
};

const toRecord = (r: Row): EntityRecord => ({
  id: r.id, uuid: r.uuid, applicationId: r.application_id, collection: r.collection, name: r.name,
  data: JSON.parse(r.data) as Record<string, unknown>, creatorId: r.creator_id === null ? null : Number(r.creator_id), createdAt: Number(r.created_at), modifiedAt: Number(r.modified_at),
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The bytes an entity takes as stored: its JSON and its name (what the per-entity bound and the quota count). */
export function storedSize(name: string | null, data: Record<string, unknown>): number {
  return storedTextSize(name, JSON.stringify(data));
}

/** The same for a row as stored, measured on its text (as the migration and the page bound measure it in SQL). */
const storedTextSize = (name: string | null, text: string): number => Buffer.byteLength(text) + Buffer.byteLength(name ?? '');

/** How many of the rows (sizes in order) fit in `maxBytes`; always at least one, so a page never stalls. */
export function fitting(sizes: number[], maxBytes: number): number {
  let total = 0;
  let count = 0;
  for (const size of sizes) {
    if (count > 0 && total + size > maxBytes) break;
    total += size;
    count += 1;
  }
  return count;
}

/**
 * Entities. Every write that changes what an application stores is counted in its storage totals
 * in the same transaction (repositories/storage.ts), so the quota holds under parallel writes.
 */
export function entitiesRepository(db: Knex, bounds: { pageMaxBytes: number }) {
  const table = (k: Knex = db) => k<Row>('entities');

  /** The rows after `afterId` (or from `offset`) that fit in a page: sizes first, then only the rows that fit are read. */
  async function boundedRows(filter: (q: Knex.QueryBuilder) => Knex.QueryBuilder, limit: number): Promise<BoundedList<EntityRecord>> {
    const size = db.raw(`${byteLengthSql(db, 'data')} + coalesce(${byteLengthSql(db, 'name')}, 0) as size`);
    const sized = (await filter(table().select('id', size))
      .orderBy('id')
      .limit(limit)) as { id: number; size: number | string }[];
    const count = fitting(sized.map((r) => Number(r.size)), bounds.pageMaxBytes);
    const ids = sized.slice(0, count).map((r) => r.id);
    const rows = ids.length ? await table().whereIn('id', ids).orderBy('id') : [];
    return { items: rows.map(toRecord), more: count < sized.length };
  }

  return {
    /** Stores a new entity, counted against the application's quota; a name taken in the collection (`DuplicateRecord`) leaves the totals unchanged. */
    async insert(e: Omit<EntityRecord, 'id'>, quota: StorageQuota): Promise<EntityRecord> {
      return refusingDuplicates('entity', () =>
        db.transaction(async (trx) => {
          await lockStorage(trx, e.applicationId);
          await countStorage(trx, e.applicationId, storedSize(e.name, e.data), 1, quota);
          const [row] = await table(trx)
            .insert({
              uuid: e.uuid, application_id: e.applicationId, collection: e.collection, name: e.name, data: JSON.stringify(e.data),
              creator_id: e.creatorId, created_at: e.createdAt, modified_at: e.modifiedAt,
            })
            .returning('*');
          return toRecord(row as Row);
        }),
      );
    },
    /** An entity of one collection, by uuid or name. */
    async find(applicationId: number, collection: string, ref: string): Promise<EntityRecord | undefined> {
      const row = await table()
        .where({ application_id: applicationId, collection })
        .andWhere(uuidPattern.test(ref) ? { uuid: ref.toLowerCase() } : { name: ref })
        .first();
      return row && toRecord(row);
    },
    /** Up to `limit` entities after `afterId`, fewer when their JSON would pass the page's byte bound. */
    async list(applicationId: number, collection: string, afterId: number, limit: number): Promise<BoundedList<EntityRecord>> {
      return boundedRows((q) => q.where({ application_id: applicationId, collection }).andWhere('id', '>', afterId), limit);
    },
    /** QuickBlox's paging: the entities from `offset` on, in creation order, bounded like `list`. */
    async listFrom(applicationId: number, collection: string, offset: number, limit: number): Promise<BoundedList<EntityRecord>> {
      return boundedRows((q) => q.where({ application_id: applicationId, collection }).offset(offset), limit);
    },
    /** Replaces an entity's name and data; the growth is counted against the quota (measured from the row as stored now). A name taken is a `DuplicateRecord`. */
    async update(id: number, name: string | null, data: Record<string, unknown>, now: number, quota: StorageQuota): Promise<void> {
      await refusingDuplicates('entity', () =>
        changeCountedRow<Stored>(db, 'entities', id, ['name', 'data'], async (trx, applicationId, before) => {
          await countStorage(trx, applicationId, storedSize(name, data) - storedTextSize(before.name, before.data), 0, quota);
          await table(trx).where({ id }).update({ name, data: JSON.stringify(data), modified_at: now });
        }),
      );
    },
    async delete(id: number): Promise<void> {
      await changeCountedRow<Stored>(db, 'entities', id, ['name', 'data'], async (trx, applicationId, before) => {
        await table(trx).where({ id }).delete();
        await freeStorage(trx, applicationId, storedTextSize(before.name, before.data), 1);
      });
    },
  };
}
export type EntitiesRepository = ReturnType<typeof entitiesRepository>;
