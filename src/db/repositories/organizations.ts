import type { Knex } from 'knex';
import { refusingDuplicates } from '../duplicates.js';
import { read } from '../knex.js';

export interface OrganizationRecord {
  id: number;
  uuid: string;
  name: string;
  clientId: string;
  clientSecretHash: string;
  createdAt: number;
  modifiedAt: number;
}

type Row = {
  id: number; uuid: string; name: string; client_id: string; client_secret_hash: string; created_at: number; modified_at: number;
};

const toRecord = (r: Row): OrganizationRecord => ({
  id: r.id, uuid: r.uuid, name: r.name, clientId: r.client_id, clientSecretHash: r.client_secret_hash,
  createdAt: Number(r.created_at), modifiedAt: Number(r.modified_at),
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `changed`: told after every write to the table, for the caches of its rows. */
export function organizationsRepository(db: Knex, changed: () => void = () => {}) {
  const table = () => db<Row>('organizations');
  return {
    /** A name taken is a `DuplicateRecord`. */
    async insert(o: Omit<OrganizationRecord, 'id'>): Promise<OrganizationRecord> {
      const [row] = await refusingDuplicates('organization', () =>
        table()
          .insert({ uuid: o.uuid, name: o.name, client_id: o.clientId, client_secret_hash: o.clientSecretHash, created_at: o.createdAt, modified_at: o.modifiedAt })
          .returning('*'),
      );
      return toRecord(row as Row);
    },
    /** By name, or by uuid when `ref` is one. */
    async find(ref: string): Promise<OrganizationRecord | undefined> {
      const row = await table().where(uuidPattern.test(ref) ? { uuid: ref.toLowerCase() } : { name: ref }).first();
      return row && toRecord(row);
    },
    async findById(id: number): Promise<OrganizationRecord | undefined> {
      const row = await table().where({ id }).first();
      return row && toRecord(row);
    },
    async findByClientId(clientId: string): Promise<OrganizationRecord | undefined> {
      const [row] = await read<Row>(db, 'select * from organizations where client_id = ? limit 1', [clientId]);
      return row && toRecord(row);
    },
    async list(): Promise<OrganizationRecord[]> {
      return (await table().orderBy('id')).map(toRecord);
    },
    async listForAdmin(adminUserId: number): Promise<OrganizationRecord[]> {
      const rows = await table()
        .join('organization_admins', 'organization_admins.organization_id', 'organizations.id')
        .where('organization_admins.admin_user_id', adminUserId)
        .orderBy('organizations.id')
        .select('organizations.*');
      return rows.map(toRecord);
    },
    async setClientSecretHash(id: number, hash: string, now: number): Promise<void> {
      await table().where({ id }).update({ client_secret_hash: hash, modified_at: now });
      changed();
    },
    async addAdmin(organizationId: number, adminUserId: number): Promise<void> {
      await db('organization_admins').insert({ organization_id: organizationId, admin_user_id: adminUserId });
    },
    async hasAdmin(organizationId: number, adminUserId: number): Promise<boolean> {
      return Boolean(await db('organization_admins').where({ organization_id: organizationId, admin_user_id: adminUserId }).first());
    },
  };
}
export type OrganizationsRepository = ReturnType<typeof organizationsRepository>;
