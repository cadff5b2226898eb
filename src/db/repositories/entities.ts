import type { Knex } from 'knex';

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

type Row = {
  id: number; uuid: string; application_id: number; collection: string; name: string | null; data: string; creator_id: number | null;
  created_at: number; modified_at: number;
};

const toRecord = (r: Row): EntityRecord => ({
  id: r.id, uuid: r.uuid, applicationId: r.application_id, collection: r.collection, name: r.name,
  data: JSON.parse(r.data) as Record<string, unknown>, creatorId: r.creator_id === null ? null : Number(r.creator_id), createdAt: Number(r.created_at), modifiedAt: Number(r.modified_at),
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function entitiesRepository(db: Knex) {
  const table = () => db<Row>('entities');
  return {
    async insert(e: Omit<EntityRecord, 'id'>): Promise<EntityRecord> {
      const [row] = await table()
        .insert({
          uuid: e.uuid, application_id: e.applicationId, collection: e.collection, name: e.name, data: JSON.stringify(e.data),
          creator_id: e.creatorId, created_at: e.createdAt, modified_at: e.modifiedAt,
        })
        .returning('*');
      return toRecord(row as Row);
    },
    /** An entity of one collection, by uuid or name. */
    async find(applicationId: number, collection: string, ref: string): Promise<EntityRecord | undefined> {
      const row = await table()
        .where({ application_id: applicationId, collection })
        .andWhere(uuidPattern.test(ref) ? { uuid: ref.toLowerCase() } : { name: ref })
        .first();
      return row && toRecord(row);
    },
    async list(applicationId: number, collection: string, afterId: number, limit: number): Promise<EntityRecord[]> {
      const rows = await table().where({ application_id: applicationId, collection }).andWhere('id', '>', afterId).orderBy('id').limit(limit);
      return rows.map(toRecord);
    },
    /** QuickBlox's paging: the entities from `offset` on, in creation order. */
    async listFrom(applicationId: number, collection: string, offset: number, limit: number): Promise<EntityRecord[]> {
      const rows = await table().where({ application_id: applicationId, collection }).orderBy('id').offset(offset).limit(limit);
      return rows.map(toRecord);
    },
    async update(id: number, name: string | null, data: Record<string, unknown>, now: number): Promise<void> {
      await table().where({ id }).update({ name, data: JSON.stringify(data), modified_at: now });
    },
    async delete(id: number): Promise<void> {
      await table().where({ id }).delete();
    },
  };
}
export type EntitiesRepository = ReturnType<typeof entitiesRepository>;
