import type { Knex } from 'knex';
import { read, write } from '../knex.js';

/**
 * One issued credential value as the table holds it: never the value itself, only its SHA-256.
 * Kinds, principals, subjects, ceilings and metadata come back as they were written; `src/tokens/`
 * checks each before it trusts a row.
 */
export interface TokenRow {
  id: number;
  hash: string;
  kind: string;
  principalKind: string;
  organizationId: number | null;
  applicationId: number | null;
  subjectKind: string;
  subjectId: number | null;
  ceiling: string;
  scopes: string[];
  clientId: string | null;
  name: string | null;
  familyId: string | null;
  /** The JSON column, parsed; undefined when it does not parse. */
  metadata: unknown;
  createdAt: number;
  /** Absolute expiry, ms; null = none. */
  expiresAt: number | null;
  /** Sliding expiry: the token dies this long after its last use; null = none. */
  idleTtlMs: number | null;
  lastUsedAt: number;
  revokedAt: number | null;
}

/** A row to insert; an empty metadata object is stored as null. */
export type NewTokenRow = Omit<TokenRow, 'id' | 'metadata'> & { metadata: object };

type Columns = {
  id: number; hash: string; kind: string; principal_kind: string; organization_id: number | null; application_id: number | null;
  subject_kind: string; subject_id: number | null; ceiling: string; scopes: string | null; client_id: string | null; name: string | null;
  family_id: string | null; metadata: string | null; created_at: number; expires_at: number | null; idle_ttl_ms: number | null;
  last_used_at: number; revoked_at: number | null;
};

const num = (v: number | null) => (v === null ? null : Number(v));

function parseMetadata(text: string | null): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const toRow = (r: Columns): TokenRow => ({
  id: r.id, hash: r.hash, kind: r.kind, principalKind: r.principal_kind,
  organizationId: r.organization_id, applicationId: r.application_id, subjectKind: r.subject_kind, subjectId: r.subject_id,
  ceiling: r.ceiling, scopes: r.scopes ? r.scopes.split(' ') : [], clientId: r.client_id, name: r.name, familyId: r.family_id,
  metadata: parseMetadata(r.metadata), createdAt: Number(r.created_at),
  expiresAt: num(r.expires_at), idleTtlMs: num(r.idle_ttl_ms), lastUsedAt: Number(r.last_used_at), revokedAt: num(r.revoked_at),
});

/** Which live tokens; `exceptId` spares one of them (the token that sent a password change). */
export type TokenRowSelector = Partial<{ subjectKind: string; subjectId: number; familyId: string; applicationId: number; kind: string; clientId: string; exceptId: number }>;

function where(selector: TokenRowSelector): Partial<Columns> {
  const w: Partial<Columns> = {};
  if (selector.subjectKind !== undefined) w.subject_kind = selector.subjectKind;
  if (selector.subjectId !== undefined) w.subject_id = selector.subjectId;
  if (selector.familyId !== undefined) w.family_id = selector.familyId;
  if (selector.applicationId !== undefined) w.application_id = selector.applicationId;
  if (selector.kind !== undefined) w.kind = selector.kind;
  if (selector.clientId !== undefined) w.client_id = selector.clientId;
  return w;
}

const insertSql =
  'insert into tokens (hash, kind, principal_kind, organization_id, application_id, subject_kind, subject_id, ceiling, scopes, client_id, name, family_id, ' +
  'metadata, created_at, expires_at, idle_ttl_ms, last_used_at, revoked_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning *';

/**
 * Rows per statement of the write-behind: enough that the cost per statement fades (a flush of 10⁴
 * rows costs ~1.5–2.5 µs of CPU a row on SQLite, all told), few enough that one statement holds
 * SQLite's writer for a fraction of a millisecond (~0.25 ms, its commit included).
 */
const touchRows = 256;

/**
 * `(id, time)` pairs as a table both databases read: SQLite and PostgreSQL name the columns of a
 * `values` list `column1`, `column2`; the first row's casts give PostgreSQL their type.
 */
const valuesSql = (rows: number) => `(values (cast(? as bigint), cast(? as bigint))${', (?, ?)'.repeat(rows - 1)}) as v`;

/** One statement per number of rows, built once: the texts are few (see `pieces`), so SQLite keeps each prepared. */
function sqlBySize(text: (rows: number) => string): (rows: number) => string {
  const built = new Map<number, string>();
  return (rows) => built.get(rows) ?? built.set(rows, text(rows)).get(rows)!;
}

const lastUsedSql = sqlBySize(
  (rows) => `update tokens set last_used_at = v.column2 from ${valuesSql(rows)} where tokens.id = v.column1 and tokens.last_used_at < v.column2`,
);
const lastRequestSql = sqlBySize(
  (rows) =>
    `update app_users set last_request_at = v.column2 from ${valuesSql(rows)} ` +
    'where app_users.id = v.column1 and (app_users.last_request_at is null or app_users.last_request_at < v.column2)',
);

/**
 * Splits `entries` into statements of `touchRows` and, for the rest, of powers of two (100 = 64 +
 * 32 + 4): every statement has one of nine sizes, so the kept prepared statements stay nine per
 * table however the batches fall.
 */
function* pieces<T>(entries: T[]): Generator<T[]> {
  let start = 0;
  for (; entries.length - start >= touchRows; start += touchRows) yield entries.slice(start, start + touchRows);
  for (let size = touchRows / 2; size >= 1; size /= 2) {
    if (entries.length - start >= size) {
      yield entries.slice(start, start + size);
      start += size;
    }
  }
}

/**
 * Writes each `id → time` where the row holds an earlier time (or none), in statements of a few
 * hundred rows awaited one after the other. Ids in ascending order, so that two instances writing
 * the same rows lock them in the same order (PostgreSQL).
 */
async function writeLatest(db: Knex, sql: (rows: number) => string, times: Map<number, number>): Promise<void> {
  const entries = [...times].sort(([a], [b]) => a - b);
  for (const piece of pieces(entries)) await write(db, sql(piece.length), piece.flat());
}

export function tokensRepository(db: Knex) {
  const table = () => db<Columns>('tokens');
  return {
    async insert(t: NewTokenRow): Promise<TokenRow> {
      // Fixed SQL (knex.ts `write`): issuing is the hot path of W2 and W3 in `npm run bench`.
      const [row] = await write<Columns>(db, insertSql, [
        t.hash, t.kind, t.principalKind, t.organizationId, t.applicationId, t.subjectKind, t.subjectId, t.ceiling,
        t.scopes.length ? t.scopes.join(' ') : null, t.clientId, t.name, t.familyId, Object.keys(t.metadata).length ? JSON.stringify(t.metadata) : null,
        t.createdAt, t.expiresAt, t.idleTtlMs, t.lastUsedAt, t.revokedAt,
      ].map((value) => value ?? null)); // an absent optional field is stored as null, as the query builder did
      return toRow(row!);
    },
    async findByHash(hash: string): Promise<TokenRow | undefined> {
      const [row] = await read<Columns>(db, 'select * from tokens where hash = ? limit 1', [hash]);
      return row && toRow(row);
    },
    async findById(id: number): Promise<TokenRow | undefined> {
      const row = await table().where({ id }).first();
      return row && toRow(row);
    },
    async list(selector: TokenRowSelector): Promise<TokenRow[]> {
      const live = table().where(where(selector)).whereNull('revoked_at');
      if (selector.exceptId !== undefined) live.whereNot('id', selector.exceptId);
      return (await live.orderBy('id')).map(toRow);
    },
    /** Marks matching live tokens revoked; returns their hashes (so caches can drop them) and kinds (for the metrics). */
    async revoke(selector: TokenRowSelector | { id: number }, now: number): Promise<{ hash: string; kind: string }[]> {
      const w = 'id' in selector ? { id: selector.id } : where(selector);
      const exceptId = 'exceptId' in selector ? selector.exceptId : undefined;
      return db.transaction(async (trx) => {
        const live = () => {
          const q = trx<Columns>('tokens').where(w).whereNull('revoked_at');
          return exceptId === undefined ? q : q.whereNot('id', exceptId);
        };
        const revoked = (await live().select('hash', 'kind')).map((r) => ({ hash: r.hash, kind: r.kind }));
        if (revoked.length) await live().update({ revoked_at: now });
        return revoked;
      });
    },
    /**
     * Marks one live token used up (revoked), writing `metadata` with it, in one conditional update:
     * of two requests racing for a one-time token (a code, a refresh token) exactly one gets true.
     */
    async consume(id: number, now: number, metadata: object): Promise<boolean> {
      const changed = await table().where({ id }).whereNull('revoked_at').update({ revoked_at: now, metadata: JSON.stringify(metadata) });
      return changed === 1;
    },
    /** Rewrites whom a live row stands for, and its metadata (a session's user signs in or out). */
    /**
     * Rewrites whom a live token stands for; with `expected`, only if it still stands for that
     * (compare and set: of two sign-ins on one session sent together, one wins and the other changes
     * nothing). False when it no longer did, or was revoked.
     */
    async rebind(
      id: number,
      expected: { principalKind: string; subjectId: number | null } | undefined,
      change: { principalKind: string; subjectId: number | null; ceiling: string; metadata: object },
    ): Promise<boolean> {
      const { principalKind, subjectId, ceiling, metadata } = change;
      const row = table().where({ id }).whereNull('revoked_at');
      if (expected) {
        row.andWhere('principal_kind', expected.principalKind);
        if (expected.subjectId === null) row.whereNull('subject_id');
        else row.andWhere('subject_id', expected.subjectId);
      }
      const updated = await row.update({ metadata: JSON.stringify(metadata), subject_id: subjectId, ceiling, principal_kind: principalKind });
      return updated > 0;
    },
    /**
     * Deletes up to `limit` tokens dead for at least `graceMs` (revoked, expired, or idle past their
     * sliding expiry; OAuth interactions as soon as they are dead) whose grant family, if any, has no live member left: a used code or refresh
     * token must stay while its family lives, so that a replay can still revoke it (RFC 6749
     * §4.1.2, RFC 9700 §4.14.2). Returns how many went. One statement, portable: the ids come from
     * a bounded subquery.
     */
    async purgeDead(now: number, graceMs: number, limit: number): Promise<number> {
      const before = now - graceMs;
      const doomed = db<Columns>('tokens as t')
        .select('t.id')
        .where((dead) =>
          dead
            // An interaction (one per anonymous GET /oauth/authorize) needs no grace: nothing reads a dead one.
            .where((interaction) => interaction.where('t.kind', 'oauth_interaction').andWhere((over) => over.where('t.revoked_at', '<=', now).orWhere('t.expires_at', '<=', now)))
            .orWhere('t.revoked_at', '<=', before)
            .orWhere('t.expires_at', '<=', before)
            .orWhere((idle) => idle.whereNotNull('t.idle_ttl_ms').andWhereRaw('?? + ?? <= ?', ['t.last_used_at', 't.idle_ttl_ms', before])),
        )
        .andWhere((family) =>
          family.whereNull('t.family_id').orWhereNotExists((live) =>
            live
              .select(db.raw('1'))
              .from('tokens as l')
              .whereRaw('?? = ??', ['l.family_id', 't.family_id'])
              .whereNull('l.revoked_at')
              .andWhere((unexpired) => unexpired.whereNull('l.expires_at').orWhere('l.expires_at', '>', now))
              .andWhere((active) => active.whereNull('l.idle_ttl_ms').orWhereRaw('?? + ?? > ?', ['l.last_used_at', 'l.idle_ttl_ms', now])),
          ),
        )
        .limit(limit);
      return table().whereIn('id', doomed).delete();
    },
    /**
     * Written behind: last-used times (and so sliding expiries) of many tokens at once, and the
     * last requests of the application users who used them (by user id). Neither ever moves back:
     * a row keeps a later time another instance wrote.
     *
     * Fixed SQL, a few hundred rows per statement, each statement its own write (on SQLite it joins
     * the next group commit): a flush of 10⁴ tokens row by row through the query builder cost
     * 9–25 µs of CPU per row and held SQLite's one writer, and the event loop with it, for 90–250 ms,
     * while every token issued waited. Between statements the event loop and the writer are free.
     */
    async touch(lastUsed: Map<number, number>, userRequests: Map<number, number> = new Map()): Promise<void> {
      await writeLatest(db, lastUsedSql, lastUsed);
      await writeLatest(db, lastRequestSql, userRequests);
    },
  };
}
export type TokensRepository = ReturnType<typeof tokensRepository>;
