import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import BetterSqlite from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import pg from 'pg';
import { migrations } from './migrations/index.js';

export type Database = Knex;

// PostgreSQL returns int8 (our millisecond timestamps, count(*)) as strings by default; every value
// we store fits in a double, so read them as numbers, as SQLite does.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

/**
 * Knex writes a failed query into its error message with the values filled in; those values are
 * stored hashes, sealed secrets and users' data, and an unexpected error is logged. With this off
 * the message keeps the placeholders (`values (?)`) and the driver's reason.
 */
const shared = { compileSqlOnError: false } as const;

/**
 * How many PostgreSQL connections an instance pools, and how long PostgreSQL work may take before it
 * fails rather than hangs (SQLite is a local file, one writer, with its own `busy_timeout`). A
 * request that meets a failure of the database is answered 503 with `Retry-After`
 * (`isDatabaseUnavailable`), so the time limits bound how long a client waits during an outage.
 */
export interface DatabaseOptions {
  /** Most pooled connections (knex `pool.max`); the change feed and the start-up lock hold one more each, outside the pool. */
  poolSize: number;
  /**
   * Where knex's own messages go (a broken pooled connection, a failed connect). Without it knex
   * prints them, stack and all, to the console; every request they fail is already logged once as
   * "the database is unavailable", so the server sends them to its log at debug level.
   */
  log?: (message: unknown) => void;
  /** Waiting for a free pooled connection, and opening a new one (knex `acquireConnectionTimeout`, pg `connectionTimeoutMillis`). */
  connectMs: number;
  /** One statement, enforced by PostgreSQL (`statement_timeout`); migrations are exempt. */
  statementMs: number;
}

/** Opens `sqlite:<path>` (WAL, foreign keys on) or `postgres://…`. */
export function openDatabase(url: string, options: DatabaseOptions = { poolSize: 10, connectMs: 5000, statementMs: 30_000 }): Database {
  const db = openKnex(url, options);
  const filename = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : '';
  if (url.startsWith('sqlite:')) groupCommits.set(db, new GroupCommit(db));
  if (filename && filename !== ':memory:') {
    const reader = new SqliteReader(filename);
    readers.set(db, reader);
    // Closed with the pool: `db.destroy()` ends at the client's destroy.
    const client = db.client as { destroy(callback?: unknown): Promise<void> };
    const destroy = client.destroy.bind(client);
    client.destroy = (callback?: unknown) => {
      reader.close();
      return destroy(callback);
    };
  }
  return db;
}

function openKnex(url: string, options: DatabaseOptions): Database {
  if (url.startsWith('sqlite:')) {
    const filename = url.slice('sqlite:'.length) || ':memory:';
    if (filename !== ':memory:') {
      // The file holds password hashes and users' data: only its owner reads it. A new folder is
      // the owner's alone; a new file is made 0600 before SQLite opens it (SQLite gives its -wal
      // and -shm files the permissions of the database file).
      fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true, mode: 0o700 });
      fs.closeSync(fs.openSync(filename, 'a', 0o600));
    }
    return knexFactory({
      ...shared,
      // better-sqlite3, not sqlite3: a query runs in this thread in ~10 µs instead of a thread-pool
      // round trip of ~90 µs of CPU, which alone was more than a whole request of bare Koa (the
      // measurements are in the README's Performance section). Queries here are indexed lookups and
      // bounded pages, so running them on the event loop blocks it for microseconds.
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      // One connection: SQLite serialises writers anyway, and one connection keeps transactions
      // from failing with SQLITE_BUSY under concurrent requests.
      pool: {
        min: 1,
        max: 1,
        afterCreate(conn: BetterSqliteConnection, done: (err: Error | null, conn: unknown) => void) {
          try {
            conn.pragma('journal_mode = WAL');
            // In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the
            // process being killed (it is in the WAL file), and only a power cut or an OS crash can
            // lose the latest commits, never the database's consistency. FULL cost a disk sync per
            // token issued, more than everything else the request did.
            conn.pragma('synchronous = NORMAL');
            conn.pragma('foreign_keys = ON');
            conn.pragma('busy_timeout = 5000');
            reusePreparedStatements(conn);
            done(null, conn);
          } catch (error) {
            done(error as Error, conn);
          }
        },
      },
    });
  }
  const log = options.log;
  return knexFactory({
    ...shared,
    ...(log && { log: { warn: log, error: log, deprecate: log, debug: log } }),
    client: 'pg',
    connection: {
      connectionString: url,
      connectionTimeoutMillis: options.connectMs,
      statement_timeout: options.statementMs,
      // A peer that vanished without a word (a cut network) is noticed by TCP keepalive, not never.
      keepAlive: true,
    },
    pool: { min: 0, max: options.poolSize },
    // knex's default is 60 s of retrying while PostgreSQL is down: a minute's hang per request.
    acquireConnectionTimeout: options.connectMs,
  });
}

interface BetterSqliteStatement {
  reader: boolean;
}
interface BetterSqliteConnection {
  pragma(source: string): unknown;
  prepare(sql: string): BetterSqliteStatement;
}

/** How many distinct statements a connection keeps prepared; the code has a few hundred queries, most built with a varying number of values. */
const preparedStatements = 500;

/**
 * knex prepares every query afresh, which costs as much as running an indexed lookup. The SQL text
 * of a query is the same each time (values are bound), so the connection keeps the prepared
 * statements of data queries and reuses them. Schema statements are never kept: SQLite re-prepares
 * a kept statement by itself when the schema changes.
 */
function reusePreparedStatements(conn: BetterSqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  const kept = new LRUCache<string, BetterSqliteStatement>({ max: preparedStatements });
  conn.prepare = (sql) => {
    let statement = kept.get(sql);
    if (!statement) {
      statement = prepare(limitReadAtRun(sql));
      if (/^\s*(select|insert|update|delete|with)\b/i.test(sql)) kept.set(sql, statement);
    }
    return statement;
  };
}

/**
 * SQLite (3.47 on) reads the value bound to `limit ?` while it plans a statement, and so marks the
 * statement out of date whenever that parameter is bound again: every run of a kept statement with
 * a bound limit (knex's `.first()` and `.limit(n)`, a page of users) was prepared afresh, parse and
 * planning included. In the profile of a page of users under load, that re-preparing was a third of
 * the time spent in SQLite. `limit +?` is the same limit, read when the statement runs (a unary plus
 * is not a bound parameter to the planner), so the kept statement is reused as it should be.
 */
export function limitReadAtRun(sql: string): string {
  return sql.replace(/\blimit \?/gi, 'limit +?');
}

/**
 * The hot reads (a token by its hash, a client by its id, a page of users) skip the query builder:
 * building, compiling and queueing a knex query costs several times what SQLite takes to answer
 * it. `read` runs fixed SQL text (`?` placeholders, names spelled out) and returns the rows.
 *
 * On a SQLite file it runs on a second, read-only connection with prepared statements, outside the
 * knex pool: WAL lets it read while the writer writes, and it sees every committed write (each
 * statement reads the latest commit). Inside a transaction, on PostgreSQL and on `:memory:` (which
 * a second connection cannot see) it is `knex.raw`, so a transaction reads its own writes.
 */
export async function read<Row>(db: Knex, sql: string, bindings: readonly unknown[]): Promise<Row[]> {
  const reader = db.isTransaction ? undefined : readers.get(db);
  if (reader) {
    // Announced as knex announces its own queries, for whoever watches them (DEBUG=knex:query aside).
    db.emit('query', { method: 'select', sql, bindings });
    return reader.all(sql, bindings) as Row[];
  }
  return rawRows<Row>(db, sql, bindings);
}

/**
 * A hot write (a token issued, a QuickBlox nonce recorded) as fixed SQL text, without building and
 * compiling the statement each time. Returns the rows of a `returning` clause. Inside a transaction
 * it is that transaction's; on PostgreSQL it is `knex.raw`; on SQLite it joins the next group
 * commit (below).
 */
export function write<Row>(db: Knex, sql: string, bindings: readonly unknown[]): Promise<Row[]> {
  const group = db.isTransaction ? undefined : groupCommits.get(db);
  return group ? group.write<Row>(sql, bindings) : rawRows<Row>(db, sql, bindings);
}

const groupCommits = new WeakMap<Knex, GroupCommit>();

interface PendingWrite {
  sql: string;
  bindings: readonly unknown[];
  resolve(rows: unknown[]): void;
  reject(error: unknown): void;
}

interface SqliteStatement {
  reader: boolean;
  all(...values: unknown[]): unknown[];
  run(...values: unknown[]): unknown;
}
interface SqliteWriter {
  prepare(sql: string): SqliteStatement;
  transaction<A extends unknown[], T>(work: (...args: A) => T): (...args: A) => T;
}

/**
 * Group commit for SQLite's hot writes. Each commit appends every page it changed to the WAL: a
 * token row touches the table and five indexes, so a commit per token issued wrote ~6 pages and was
 * a fifth of the cost of a signed QuickBlox session (profile in the README). The writes asked for
 * in one turn of the event loop, and those that arrive while the writer connection is busy, share
 * one commit: one transaction on the writer connection (taken from knex's pool, so it queues with
 * knex's own transactions), each write in a savepoint of its own, so one that fails (a nonce seen
 * before: a unique index) fails alone and the others are kept. Every promise settles only after
 * the commit: a token is acknowledged only once it is durable, as before.
 */
class GroupCommit {
  private pending: PendingWrite[] = [];
  private scheduled = false;

  constructor(private readonly db: Knex) {}

  write<Row>(sql: string, bindings: readonly unknown[]): Promise<Row[]> {
    return new Promise<Row[]>((resolve, reject) => {
      this.pending.push({ sql, bindings, resolve: resolve as (rows: unknown[]) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.commit());
      }
    });
  }

  private async commit(): Promise<void> {
    const client = this.db.client as { acquireConnection(): Promise<SqliteWriter>; releaseConnection(connection: SqliteWriter): Promise<unknown> };
    let connection: SqliteWriter;
    try {
      connection = await client.acquireConnection();
    } catch (error) {
      for (const pending of this.take()) pending.reject(error);
      return;
    }
    // Everything asked for until now, including what came while the connection was busy.
    const writes = this.take();
    const outcomes: ({ rows: unknown[] } | { error: unknown })[] = [];
    const { inTransaction, inSavepoint } = transactionsOf(connection);
    try {
      inTransaction(() => {
        for (const { sql, bindings } of writes) {
          // Announced as knex announces its own queries, for whoever watches them.
          this.db.emit('query', { method: 'raw', sql, bindings });
          try {
            outcomes.push({ rows: inSavepoint(sql, bindings) });
          } catch (error) {
            outcomes.push({ error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the group was written.
      for (const pending of writes) pending.reject(error);
      return;
    } finally {
      await client.releaseConnection(connection);
    }
    writes.forEach((pending, i) => {
      const outcome = outcomes[i]!;
      if ('rows' in outcome) pending.resolve(outcome.rows);
      else pending.reject(outcome.error);
    });
  }

  private take(): PendingWrite[] {
    const writes = this.pending;
    this.pending = [];
    this.scheduled = false;
    return writes;
  }
}

interface GroupTransactions {
  /** Runs `work` in a transaction (a savepoint when one is open), committed when it returns, rolled back when it throws. */
  inTransaction(work: () => void): void;
  /** One statement (`run`) in a savepoint of its own. */
  inSavepoint(sql: string, bindings: readonly unknown[]): unknown[];
}

const groupTransactions = new WeakMap<SqliteWriter, GroupTransactions>();

/**
 * A connection's transaction functions, made once: better-sqlite3's `transaction()` builds four
 * wrapper functions and defines their properties on every call, which a group commit did once per
 * write and once per group (5% of a signed QuickBlox session in a CPU profile). A transaction
 * function opens a savepoint instead when it is called inside another one.
 */
function transactionsOf(connection: SqliteWriter): GroupTransactions {
  let made = groupTransactions.get(connection);
  if (!made) {
    made = {
      inTransaction: connection.transaction((work: () => void) => work()),
      inSavepoint: connection.transaction((sql: string, bindings: readonly unknown[]) => run(connection, sql, bindings)),
    };
    groupTransactions.set(connection, made);
  }
  return made;
}

/** One statement on the writer connection, its values bound as knex's better-sqlite3 client binds them; the rows of a `returning` clause. */
function run(connection: SqliteWriter, sql: string, bindings: readonly unknown[]): unknown[] {
  const statement = connection.prepare(sql);
  const values = bindings.map((value) => (typeof value === 'boolean' ? Number(value) : value instanceof Date ? value.valueOf() : value));
  if (statement.reader) return statement.all(...values);
  statement.run(...values);
  return [];
}

/** `knex.raw`'s rows, which SQLite's client gives as an array and PostgreSQL's as `{ rows }`. */
async function rawRows<Row>(db: Knex, sql: string, bindings: readonly unknown[]): Promise<Row[]> {
  const result = (await db.raw(sql, bindings as Knex.RawBinding[])) as Row[] | { rows: Row[] };
  return Array.isArray(result) ? result : result.rows;
}

const readers = new WeakMap<Knex, SqliteReader>();

class SqliteReader {
  private connection: (BetterSqliteConnection & { close(): void }) | undefined;
  private readonly statements = new LRUCache<string, BetterSqliteStatement & { all(...values: unknown[]): unknown[] }>({ max: preparedStatements });

  constructor(private readonly filename: string) {}

  all(sql: string, bindings: readonly unknown[]): unknown[] {
    // Opened on first use: the file exists by then, migrated by the writer.
    this.connection ??= (() => {
      const connection = new BetterSqlite(this.filename, { readonly: true, fileMustExist: true });
      connection.pragma('busy_timeout = 5000');
      return connection as unknown as BetterSqliteConnection & { close(): void };
    })();
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.connection.prepare(limitReadAtRun(sql)) as never));
    // As knex's better-sqlite3 client binds them: booleans as 0/1.
    return statement.all(...bindings.map((value) => (typeof value === 'boolean' ? Number(value) : value)));
  }

  close(): void {
    this.connection?.close();
    this.connection = undefined;
    this.statements.clear();
  }
}

/** How busy the connection pool is now; on SQLite its one connection is the writer, so `used` is 1 while a write or transaction holds it. */
export interface PoolUse {
  used: number;
  free: number;
  /** Requests waiting for a connection. */
  pending: number;
  max: number;
}

interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  max: number;
}

/** Read on each metrics scrape (never per request); all zero before the pool is made or after it is destroyed. */
export function poolUse(db: Database): PoolUse {
  const pool = (db.client as { pool?: TarnPool }).pool;
  if (!pool) return { used: 0, free: 0, pending: 0, max: 0 };
  return { used: pool.numUsed(), free: pool.numFree(), pending: pool.numPendingAcquires(), max: pool.max };
}

export async function migrate(db: Database): Promise<void> {
  await db.migrate.latest({ migrationSource: migrationSource });
}

/** The migrations this code has that the database has not run (none: the schema is current; all: never migrated). */
export async function pendingMigrations(db: Database): Promise<string[]> {
  if (!(await db.schema.hasTable('knex_migrations'))) return Object.keys(migrations);
  const run = new Set(((await db('knex_migrations').select('name')) as { name: string }[]).map((row) => row.name));
  return Object.keys(migrations).filter((name) => !run.has(name));
}

const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => withoutStatementTimeout(migrations[name]!),
};

/**
 * A migration may rewrite or index a large table, which can take longer than any request should:
 * on PostgreSQL it runs without the statement timeout (`set local` ends with its transaction).
 */
function withoutStatementTimeout(migration: Knex.Migration): Knex.Migration {
  const lift = async (knex: Knex) => {
    if (knex.client.config.client === 'pg') await knex.raw('set local statement_timeout = 0');
  };
  return {
    ...migration,
    up: async (knex) => {
      await lift(knex);
      return migration.up(knex);
    },
    ...(migration.down && {
      down: async (knex: Knex) => {
        await lift(knex);
        return migration.down!(knex);
      },
    }),
  };
}

/** Node's socket errors that mean PostgreSQL cannot be reached or the connection to it broke. */
const unreachable = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The database is down, unreachable, restarting, out of connections or too slow: nothing the
 * request did wrong, and worth retrying shortly. knex's pool timeout; a socket error; node-postgres'
 * "Connection terminated…" when a pooled connection broke under a query (it gives those no code); SQLSTATE class 08 (connection exception),
 * 57P01-57P03 (shut down, crashed, not accepting connections yet), 53300 (too many connections) and
 * 57014 (the statement timeout cancelled it).
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  // Node gives a refused connection to a name with several addresses as an AggregateError; a wrapper may keep the reason as its cause.
  if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  if (error.cause !== undefined && isDatabaseUnavailable(error.cause, depth + 1)) return true;
  if (error.name === 'KnexTimeoutError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (unreachable.has(code) || /^08[0-9A-Z]{3}$/.test(code) || ['57P01', '57P02', '57P03', '53300', '57014'].includes(code))) return true;
  // knex puts the SQL text before the driver's message (`select … - Connection terminated unexpectedly`).
  return /(^|\s-\s)(Connection terminated|Client has encountered a connection error|timeout expired|Query read timeout)/.test(error.message);
}

/**
 * PostgreSQL refused a value as a value (SQLSTATE class 22, "data exception": a number out of its
 * column's range, a byte sequence its encoding cannot hold…): the request asked for something that
 * cannot exist, which is the caller's mistake, not the server's. SQLite stores such values as given.
 */
export function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}

/**
 * SQL for the length in bytes of a text column (SQLite's `length` counts characters in text, so
 * cast to a blob). `column` is a name written in code, never a value from a request.
 */
export function byteLengthSql(db: Knex, column: string): string {
  return db.client.config.client === 'pg' ? `octet_length(${column})` : `length(cast(${column} as blob))`;
}

/**
 * SQL for one top-level field of a JSON text column when it holds a number or a string, as text
 * (`7001`, not `"7001"`); null for anything else. The engines spell other values differently
 * (`true` is `'1'` on SQLite and `'true'` on PostgreSQL), so a boolean must not pass for a number.
 * `column` and `field` are names written in code, never values from a request.
 */
export function jsonFieldTextSql(db: Knex, column: string, field: string): string {
  return db.client.config.client === 'pg'
    ? `(case when jsonb_typeof(${column}::jsonb -> '${field}') in ('number', 'string') then ${column}::jsonb ->> '${field}' end)`
    : `(case when json_type(${column}, '$.${field}') in ('integer', 'real', 'text') then cast(json_extract(${column}, '$.${field}') as text) end)`;
}
