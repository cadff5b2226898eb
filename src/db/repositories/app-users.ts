import type { Knex } from 'knex';
import { byteLengthSql } from '../knex.js';
import { fitting, type BoundedList } from './entities.js';

export interface AppUserRecord {
  /** Also the QuickBlox `user_id`. */
  id: number;
  uuid: string;
  applicationId: number;
  username: string;
  email: string | null;
  name: string | null;
  passwordHash: string;
  activated: boolean;
  /** Any other properties the user was given. */
  properties: Record<string, unknown>;
  passwordChangedAt: number;
  createdAt: number;
  modifiedAt: number;
}

type Row = {
  id: number; uuid: string; application_id: number; username: string; email: string | null; name: string | null; password_hash: string;
  activated: boolean | number; properties: string; password_changed_at: number; created_at: number; modified_at: number;
};

const toRecord = (r: Row): AppUserRecord => ({
  id: r.id, uuid: r.uuid, applicationId: r.application_id, username: r.username, email: r.email, name: r.name, passwordHash: r.password_hash,
  activated: Boolean(r.activated), properties: JSON.parse(r.properties) as Record<string, unknown>,
  passwordChangedAt: Number(r.password_changed_at), createdAt: Number(r.created_at), modifiedAt: Number(r.modified_at),
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AppUserPatch = Partial<Pick<AppUserRecord, 'username' | 'email' | 'name' | 'passwordHash' | 'activated' | 'properties' | 'passwordChangedAt'>>;

export function appUsersRepository(db: Knex, bounds: { pageMaxBytes: number }) {
  const table = () => db<Row>('app_users');
  return {
    async insert(u: Omit<AppUserRecord, 'id'>): Promise<AppUserRecord> {
      const [row] = await table()
        .insert({
          uuid: u.uuid, application_id: u.applicationId, username: u.username, email: u.email?.toLowerCase() ?? null, name: u.name,
          password_hash: u.passwordHash, activated: u.activated, properties: JSON.stringify(u.properties),
          password_changed_at: u.passwordChangedAt, created_at: u.createdAt, modified_at: u.modifiedAt,
        })
        .returning('*');
      return toRecord(row as Row);
    },
    /**
     * A user of one application, by uuid, email or username, each in any case. The three never
     * overlap: a username is never shaped like a uuid or an email (domain/usernames.ts).
     */
    async find(applicationId: number, ref: string): Promise<AppUserRecord | undefined> {
      const query = table().where({ application_id: applicationId });
      if (uuidPattern.test(ref)) query.andWhere({ uuid: ref.toLowerCase() });
      else if (ref.includes('@')) query.andWhere({ email: ref.toLowerCase() });
      else query.andWhereRaw('lower(username) = ?', [ref.toLowerCase()]);
      const row = await query.first();
      return row && toRecord(row);
    },
    async findById(id: number): Promise<AppUserRecord | undefined> {
      const row = await table().where({ id }).first();
      return row && toRecord(row);
    },
    /**
     * A page in creation order, after the user with id `afterId`; only the users given a role, or in
     * a group, with `of`. Fewer than `limit` when their properties would pass the page's byte bound:
     * sizes are read first, then only the users that fit.
     */
    async list(applicationId: number, afterId: number, limit: number, of?: { kind: 'role' | 'group'; id: number }): Promise<BoundedList<AppUserRecord>> {
      const query = table().where({ application_id: applicationId }).andWhere('id', '>', afterId);
      if (of?.kind === 'role') query.whereIn('id', db('user_roles').select('user_id').where('role_id', of.id));
      if (of?.kind === 'group') query.whereIn('id', db('group_users').select('user_id').where('group_id', of.id));
      const size = db.raw(`${byteLengthSql(db, 'properties')} as size`);
      const sized = (await query.select('id', size).orderBy('id').limit(limit)) as unknown as { id: number; size: number | string }[];
      const count = fitting(sized.map((r) => Number(r.size)), bounds.pageMaxBytes);
      const ids = sized.slice(0, count).map((r) => r.id);
      const rows = ids.length ? await table().whereIn('id', ids).orderBy('id') : [];
      return { items: rows.map(toRecord), more: count < sized.length };
    },
    /** QuickBlox's paging: the users from `offset` on, in creation order, and how many there are in all. */
    async page(applicationId: number, offset: number, limit: number): Promise<{ users: AppUserRecord[]; total: number }> {
      const [rows, [count]] = await Promise.all([
        table().where({ application_id: applicationId }).orderBy('id').offset(offset).limit(limit),
        table().where({ application_id: applicationId }).count({ n: '*' }),
      ]);
      return { users: rows.map(toRecord), total: Number(count?.n ?? 0) };
    },
    async update(id: number, patch: AppUserPatch, now: number): Promise<void> {
      const row: Partial<Row> = { modified_at: now };
      if (patch.username !== undefined) row.username = patch.username;
      if (patch.email !== undefined) row.email = patch.email?.toLowerCase() ?? null;
      if (patch.name !== undefined) row.name = patch.name;
      if (patch.passwordHash !== undefined) row.password_hash = patch.passwordHash;
      if (patch.passwordChangedAt !== undefined) row.password_changed_at = patch.passwordChangedAt;
      if (patch.activated !== undefined) row.activated = patch.activated;
      if (patch.properties !== undefined) row.properties = JSON.stringify(patch.properties);
      await table().where({ id }).update(row);
    },
    async delete(id: number): Promise<void> {
      await table().where({ id }).delete();
    },
  };
}
export type AppUsersRepository = ReturnType<typeof appUsersRepository>;
