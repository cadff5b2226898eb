import type { Knex } from 'knex';
import { refusingDuplicates } from '../duplicates.js';

export interface AdminUserRecord {
  id: number;
  uuid: string;
  username: string;
  email: string;
  name: string;
  passwordHash: string;
  superuser: boolean;
  activated: boolean;
  passwordChangedAt: number;
  createdAt: number;
  modifiedAt: number;
}

type Row = {
  id: number; uuid: string; username: string; email: string; name: string; password_hash: string; superuser: boolean | number;
  activated: boolean | number; password_changed_at: number; created_at: number; modified_at: number;
};

const toRecord = (r: Row): AdminUserRecord => ({
  id: r.id, uuid: r.uuid, username: r.username, email: r.email, name: r.name, passwordHash: r.password_hash,
  superuser: Boolean(r.superuser), activated: Boolean(r.activated), passwordChangedAt: Number(r.password_changed_at),
  createdAt: Number(r.created_at), modifiedAt: Number(r.modified_at),
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function adminUsersRepository(db: Knex) {
  const table = () => db<Row>('admin_users');
  return {
    /** A username or email taken (whatever its case) is a `DuplicateRecord`. */
    async insert(u: Omit<AdminUserRecord, 'id'>): Promise<AdminUserRecord> {
      const [row] = await refusingDuplicates('admin user', () =>
        table()
          .insert({
            uuid: u.uuid, username: u.username, email: u.email.toLowerCase(), name: u.name, password_hash: u.passwordHash,
            superuser: u.superuser, activated: u.activated, password_changed_at: u.passwordChangedAt, created_at: u.createdAt, modified_at: u.modifiedAt,
          })
          .returning('*'),
      );
      return toRecord(row as Row);
    },
    /** An admin by uuid, email or username, each in any case (usernames are unique whatever their case). */
    async find(ref: string): Promise<AdminUserRecord | undefined> {
      const query = table();
      if (uuidPattern.test(ref)) query.where({ uuid: ref.toLowerCase() });
      else if (ref.includes('@')) query.where({ email: ref.toLowerCase() });
      else query.whereRaw('lower(username) = ?', [ref.toLowerCase()]);
      const row = await query.first();
      return row && toRecord(row);
    },
    async findById(id: number): Promise<AdminUserRecord | undefined> {
      const row = await table().where({ id }).first();
      return row && toRecord(row);
    },
    async findSuperuser(): Promise<AdminUserRecord | undefined> {
      const row = await table().where({ superuser: true }).first();
      return row && toRecord(row);
    },
    /** The admins of an organization, oldest first. */
    async listOfOrganization(organizationId: number): Promise<AdminUserRecord[]> {
      const rows = await table()
        .join('organization_admins', 'organization_admins.admin_user_id', 'admin_users.id')
        .where('organization_admins.organization_id', organizationId)
        .orderBy('admin_users.id')
        .select('admin_users.*');
      return rows.map(toRecord);
    },
    /** Changes the name or email (stored lower-case); an email another admin has is a `DuplicateRecord`. */
    async update(id: number, change: { name?: string; email?: string }, now: number): Promise<AdminUserRecord | undefined> {
      const [row] = await refusingDuplicates('admin user', () =>
        table()
          .where({ id })
          .update({ ...(change.name !== undefined && { name: change.name }), ...(change.email !== undefined && { email: change.email.toLowerCase() }), modified_at: now })
          .returning('*'),
      );
      return row && toRecord(row as Row);
    },
    async setPassword(id: number, passwordHash: string, now: number): Promise<void> {
      await table().where({ id }).update({ password_hash: passwordHash, password_changed_at: now, modified_at: now });
    },
  };
}
export type AdminUsersRepository = ReturnType<typeof adminUsersRepository>;
