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
    /** Makes the admin user an admin of the organization; one who already is stays so, unchanged. */
    async addAdmin(organizationId: number, adminUserId: number): Promise<void> {
      await db('organization_admins').insert({ organization_id: organizationId, admin_user_id: adminUserId }).onConflict(['organization_id', 'admin_user_id']).ignore();
    },
    async hasAdmin(organizationId: number, adminUserId: number): Promise<boolean> {
      return Boolean(await db('organization_admins').where({ organization_id: organizationId, admin_user_id: adminUserId }).first());
    },
    /**
     * Removes the admin from the organization unless they are its last admin: `removed`, `last`
     * (nothing changed) or `not an admin`. Run it in a transaction: it first takes the
     * organization's row lock (a no-op update), so removals of the organization's admins run one
     * after the other on PostgreSQL, and each counts what the one before it left (read committed:
     * every statement sees the commits before it). SQLite has one writer, whose transactions never
     * overlap. A plain `delete … where (select count(*)) > 1` would let two removals sent at once
     * each see two admins and leave none.
     */
    async removeAdminUnlessLast(organizationId: number, adminUserId: number): Promise<'removed' | 'last' | 'not an admin'> {
      if (!db.isTransaction) throw new Error('removeAdminUnlessLast must run in a transaction');
      await db('organizations').where({ id: organizationId }).update({ modified_at: db.ref('modified_at') });
      const admins = db('organization_admins').where({ organization_id: organizationId });
      if (!(await admins.clone().where({ admin_user_id: adminUserId }).first())) return 'not an admin';
      const [counted] = await admins.clone().count<{ count: number | string }[]>({ count: '*' });
      if (Number(counted?.count ?? 0) <= 1) return 'last';
      await admins.clone().where({ admin_user_id: adminUserId }).delete();
      return 'removed';
    },
  };
}
export type OrganizationsRepository = ReturnType<typeof organizationsRepository>;
