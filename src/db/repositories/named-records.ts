import type { Knex } from 'knex';
import { refusingDuplicates } from '../duplicates.js';

/** A role or a group: named (lower-case) and titled, within one application. */
export interface NamedRecord {
  id: number;
  uuid: string;
  applicationId: number;
  name: string;
  title: string;
  createdAt: number;
  modifiedAt: number;
}

type Row = { id: number; uuid: string; application_id: number; title: string; created_at: number; modified_at: number } & Record<string, unknown>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What roles and groups share: `nameColumn` holds the name (`name` for roles, `path` for groups, as
 * Usergrid calls them); a name taken in the application is a `DuplicateRecord` of `record`.
 */
export function namedRecords(db: Knex, table: string, nameColumn: string, record: 'role' | 'group') {
  const rows = () => db<Row>(table);
  const toRecord = (r: Row): NamedRecord => ({
    id: r.id, uuid: r.uuid, applicationId: r.application_id, name: r[nameColumn] as string, title: r.title,
    createdAt: Number(r.created_at), modifiedAt: Number(r.modified_at),
  });
  return {
    async insert(r: Omit<NamedRecord, 'id'>): Promise<NamedRecord> {
      const [row] = await refusingDuplicates(record, () =>
        rows()
          .insert({ uuid: r.uuid, application_id: r.applicationId, [nameColumn]: r.name, title: r.title, created_at: r.createdAt, modified_at: r.modifiedAt })
          .returning('*'),
      );
      return toRecord(row as Row);
    },
    /** One of an application's, by uuid or name (any case). */
    async find(applicationId: number, ref: string): Promise<NamedRecord | undefined> {
      const row = await rows()
        .where({ application_id: applicationId })
        .andWhere(uuidPattern.test(ref) ? { uuid: ref.toLowerCase() } : { [nameColumn]: ref.toLowerCase() })
        .first();
      return row && toRecord(row as Row);
    },
    /** A page in creation order, after the one with id `afterId`; `among` narrows the ids (a subquery). */
    async list(applicationId: number, afterId: number, limit: number, among?: Knex.QueryBuilder): Promise<NamedRecord[]> {
      const query = rows().where({ application_id: applicationId }).andWhere('id', '>', afterId);
      if (among) query.whereIn('id', among);
      return ((await query.orderBy('id').limit(limit)) as Row[]).map(toRecord);
    },
    async update(id: number, patch: { title?: string }, now: number): Promise<void> {
      await rows().where({ id }).update({ ...(patch.title !== undefined && { title: patch.title }), modified_at: now });
    },
    /** Deletes it; its permissions and links go with it (foreign keys). */
    async delete(id: number): Promise<void> {
      await rows().where({ id }).delete();
    },
  };
}
