import type { Knex } from 'knex';
import { DuplicateRecord, refusingDuplicates } from '../duplicates.js';
import { byteLengthSql, jsonFieldTextSql, read } from '../knex.js';
import { fitting, type BoundedList } from './entities.js';
import { changeCountedRow, countStorage, freeStorage, lockStorage, type StorageQuota } from './storage.js';

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
  /** When the user last made a request with one of their tokens, as last written behind (QuickBlox's `last_request_at`); null before the first. */
  lastRequestAt: number | null;
}

type Row = {
  id: number; uuid: string; application_id: number; username: string; email: string | null; name: string | null; password_hash: string;
  activated: boolean | number; properties: string; password_changed_at: number; created_at: number; modified_at: number; last_request_at: number | string | null;
};

const toRecord = (r: Row): AppUserRecord => ({
  id: r.id, uuid: r.uuid, applicationId: r.application_id, username: r.username, email: r.email, name: r.name, passwordHash: r.password_hash,
  activated: Boolean(r.activated), properties: JSON.parse(r.properties) as Record<string, unknown>,
  passwordChangedAt: Number(r.password_changed_at), createdAt: Number(r.created_at), modifiedAt: Number(r.modified_at),
  lastRequestAt: r.last_request_at === null || r.last_request_at === undefined ? null : Number(r.last_request_at),
});

/** A condition on a user's own columns (QuickBlox's list filters, quickblox/user-filters.ts). Times in ms. */
export interface UserCondition {
  column: 'id' | 'username' | 'email' | 'createdAt' | 'modifiedAt';
  operator: 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'in';
  /** One value, or several for `in`. */
  values: (number | string)[];
}

/** The column behind each field a condition names; never a value from a request. */
const conditionColumns: Readonly<Record<UserCondition['column'], string>> = {
  id: 'id', username: 'username', email: 'email', createdAt: 'created_at', modifiedAt: 'modified_at',
};
const comparisons: Readonly<Record<Exclude<UserCondition['operator'], 'in'>, string>> = { eq: '=', ne: '<>', gt: '>', lt: '<', ge: '>=', le: '<=' };

/** Narrows a query to the users that meet a condition; usernames and emails compare in any case, as sign-in finds them. */
function meeting(query: Knex.QueryBuilder, condition: UserCondition): Knex.QueryBuilder {
  const caseless = condition.column === 'username' || condition.column === 'email';
  const column = caseless ? `lower(${conditionColumns[condition.column]})` : conditionColumns[condition.column];
  const values = condition.values.map((value) => (caseless ? String(value).toLowerCase() : value));
  if (condition.operator === 'in') return query.whereRaw(`${column} in (${values.map(() => '?').join(', ')})`, values);
  return query.whereRaw(`${column} ${comparisons[condition.operator]} ?`, [values[0]!]);
}

/**
 * The text by which `findByExternalId` finds a user holding `value` (the JSON field compared as
 * text): the plain decimal of an integer from 0 to 2^53 - 1, stored as a number or as that very
 * string; undefined for anything no lookup can name.
 */
export function externalIdKey(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (typeof value === 'string') return /^(0|[1-9][0-9]{0,15})$/.test(value) && Number.isSafeInteger(Number(value)) ? value : undefined;
  return undefined;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AppUserPatch = Partial<Pick<AppUserRecord, 'username' | 'email' | 'name' | 'passwordHash' | 'activated' | 'properties' | 'passwordChangedAt'>>;

/** The bytes a user's properties take as stored (what the quota counts; its own fields are bounded columns). */
const propertiesSize = (text: string): number => Buffer.byteLength(text);

/**
 * Application users. A user counts against the application's storage quota as one item and the
 * bytes of their properties, in the same transaction as the write (repositories/storage.ts), as an
 * entity does: anyone an application lets sign up could otherwise store without bound.
 */
export function appUsersRepository(db: Knex, bounds: { pageMaxBytes: number }) {
  const table = (k: Knex = db) => k<Row>('app_users');

  /** The ids and property sizes of the users picked by `filter`, in creation order, up to `limit`. */
  function sizedRows(filter: (q: Knex.QueryBuilder) => Knex.QueryBuilder, limit: number): Promise<{ id: number; size: number | string }[]> {
    const size = db.raw(`${byteLengthSql(db, 'properties')} as size`);
    return filter(table().select('id', size)).orderBy('id').limit(limit) as unknown as Promise<{ id: number; size: number | string }[]>;
  }

  /** The users picked by `filter`, in creation order, up to `limit` and fewer when their properties would pass the page's byte bound: sizes are read first, then only the users that fit. */
  async function boundedRows(filter: (q: Knex.QueryBuilder) => Knex.QueryBuilder, limit: number): Promise<BoundedList<AppUserRecord>> {
    return rowsThatFit(await sizedRows(filter, limit));
  }

  /** The users of an application holding the external id `key` (`externalIdKey`): the one query for lookups and for the write's check. */
  const holdersOf = (applicationId: number, key: string, k: Knex = db) =>
    table(k).where({ application_id: applicationId }).andWhereRaw(`${jsonFieldTextSql(db, 'properties', 'external_user_id')} = ?`, [key]);

  /**
   * QuickBlox finds a user by their `external_user_id` (`findByExternalId`), so no two users of an
   * application may hold the same one, whichever route wrote it: a user setting another's id on
   * their own record (Usergrid's routes take any property) would otherwise make both unreachable by
   * it. Checked in the write's transaction, which holds the application's storage totals, so two
   * writes cannot both pass. A value already shared (written before this check) stays readable and
   * can be written back unchanged.
   */
  async function refuseTakenExternalId(trx: Knex.Transaction, applicationId: number, properties: Record<string, unknown>, self?: { id: number; before: string }): Promise<void> {
    const key = externalIdKey(properties.external_user_id);
    if (key === undefined || (self && externalIdKey((JSON.parse(self.before) as Record<string, unknown>).external_user_id) === key)) return;
    const holder = await holdersOf(applicationId, key, trx)
      .first('id')
      .modify((query) => (self ? query.andWhereNot({ id: self.id }) : query));
    if (holder) throw new DuplicateRecord('application user', 'another user of the application holds this external_user_id', 'external_user_id');
  }

  /** The rows of the sized ids that fit in a page's bytes, in id order. */
  async function rowsThatFit(sized: { id: number; size: number | string }[]): Promise<BoundedList<AppUserRecord>> {
    const count = fitting(sized.map((r) => Number(r.size)), bounds.pageMaxBytes);
    const ids = sized.slice(0, count).map((r) => r.id);
    const rows = ids.length ? await read<Row>(db, `select * from app_users where id in (${ids.map(() => '?').join(', ')}) order by id`, ids) : [];
    return { items: rows.map(toRecord), more: count < sized.length };
  }

  return {
    /** Stores a new user, counted against the application's quota; a username or email taken (`DuplicateRecord`) leaves the totals unchanged. */
    async insert(u: Omit<AppUserRecord, 'id' | 'lastRequestAt'>, quota: StorageQuota): Promise<AppUserRecord> {
      const properties = JSON.stringify(u.properties);
      return refusingDuplicates('application user', () =>
        db.transaction(async (trx) => {
          await lockStorage(trx, u.applicationId);
          await refuseTakenExternalId(trx, u.applicationId, u.properties);
          await countStorage(trx, u.applicationId, propertiesSize(properties), 1, quota);
          const [row] = await table(trx)
            .insert({
              uuid: u.uuid, application_id: u.applicationId, username: u.username, email: u.email?.toLowerCase() ?? null, name: u.name,
              password_hash: u.passwordHash, activated: u.activated, properties,
              password_changed_at: u.passwordChangedAt, created_at: u.createdAt, modified_at: u.modifiedAt,
            })
            .returning('*');
          return toRecord(row as Row);
        }),
      );
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
      if (!of) {
        // The common page (every user), read without the query builder (knex.ts `read`).
        const sql = `select id, ${byteLengthSql(db, 'properties')} as size from app_users where application_id = ? and id > ? order by id limit ?`;
        return rowsThatFit(await read<{ id: number; size: number | string }>(db, sql, [applicationId, afterId, limit]));
      }
      return boundedRows((query) => {
        query.where({ application_id: applicationId }).andWhere('id', '>', afterId);
        if (of?.kind === 'role') query.whereIn('id', db('user_roles').select('user_id').where('role_id', of.id));
        if (of?.kind === 'group') query.whereIn('id', db('group_users').select('user_id').where('group_id', of.id));
        return query;
      }, limit);
    },
    /** QuickBlox's paging: the users from `offset` on that meet every condition, bounded like `list`, and how many meet them in all. */
    async page(applicationId: number, offset: number, limit: number, conditions: readonly UserCondition[] = []): Promise<BoundedList<AppUserRecord> & { total: number }> {
      let sized: Promise<{ id: number; size: number | string }[]>;
      let counted: Promise<{ n: number | string }[]>;
      if (conditions.length === 0) {
        // The common page (every user, what the SDKs' user list asks), read without the query builder (knex.ts `read`).
        sized = read(db, `select id, ${byteLengthSql(db, 'properties')} as size from app_users where application_id = ? order by id limit ? offset ?`, [applicationId, limit, offset]);
        counted = read(db, 'select count(*) as n from app_users where application_id = ?', [applicationId]);
      } else {
        const matching = (query: Knex.QueryBuilder) => conditions.reduce(meeting, query.where({ application_id: applicationId }));
        sized = sizedRows((query) => matching(query).offset(offset), limit);
        counted = matching(table()).count({ n: '*' }) as unknown as Promise<{ n: number | string }[]>;
      }
      const [page, [count]] = await Promise.all([sized.then(rowsThatFit), counted]);
      return { items: page.items, more: page.more, total: Number(count?.n ?? 0) };
    },
    /** Up to `limit` users of one application holding an external id a client gave them (kept among their properties), oldest first. */
    async findByExternalId(applicationId: number, externalId: number, limit: number): Promise<AppUserRecord[]> {
      const rows = await holdersOf(applicationId, String(externalId)).orderBy('id').limit(limit);
      return rows.map(toRecord);
    },
    /** Changes a user; growth of their properties is counted against the quota (measured from the row as stored now). A username or email taken is a `DuplicateRecord`. */
    async update(id: number, patch: AppUserPatch, now: number, quota: StorageQuota): Promise<void> {
      const row: Partial<Row> = { modified_at: now };
      if (patch.username !== undefined) row.username = patch.username;
      if (patch.email !== undefined) row.email = patch.email?.toLowerCase() ?? null;
      if (patch.name !== undefined) row.name = patch.name;
      if (patch.passwordHash !== undefined) row.password_hash = patch.passwordHash;
      if (patch.passwordChangedAt !== undefined) row.password_changed_at = patch.passwordChangedAt;
      if (patch.activated !== undefined) row.activated = patch.activated;
      if (patch.properties === undefined) {
        await refusingDuplicates('application user', () => table().where({ id }).update(row));
        return;
      }
      const properties = JSON.stringify(patch.properties);
      await refusingDuplicates('application user', () =>
        changeCountedRow<{ properties: string }>(db, 'app_users', id, ['properties'], async (trx, applicationId, before) => {
          await refuseTakenExternalId(trx, applicationId, patch.properties!, { id, before: before.properties });
          await countStorage(trx, applicationId, propertiesSize(properties) - propertiesSize(before.properties), 0, quota);
          await table(trx).where({ id }).update({ ...row, properties });
        }),
      );
    },
    /** Deletes a user and gives their room back. */
    async delete(id: number): Promise<void> {
      await changeCountedRow<{ properties: string }>(db, 'app_users', id, ['properties'], async (trx, applicationId, before) => {
        await table(trx).where({ id }).delete();
        await freeStorage(trx, applicationId, propertiesSize(before.properties), 1);
      });
    },
  };
}
export type AppUsersRepository = ReturnType<typeof appUsersRepository>;
