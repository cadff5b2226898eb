import type { Knex } from 'knex';
import { read, write } from '../knex.js';

/** One brute-force counter as stored (see migration 014); times in ms since the epoch. */
export interface AttemptCounter {
  key: string;
  count: number;
  /** When each check still running under the key was let through (its place among the checks in flight). */
  reservations: number[];
  lastFailureAt: number;
  forgivenAt: number;
  /** When the row can no longer matter, so the sweeper may delete it. */
  expiresAt: number;
}

type Row = { key: string; count: number; reservations: string; last_failure_at: number; forgiven_at: number; expires_at: number };

const counterOf = (r: Row): AttemptCounter => ({
  key: r.key, count: Number(r.count), reservations: reservationsOf(r.reservations), lastFailureAt: Number(r.last_failure_at), forgivenAt: Number(r.forgiven_at),
  expiresAt: Number(r.expires_at),
});

/** The stored list of reservation times; anything else (a row this code did not write) reads as none. */
function reservationsOf(text: string): number[] {
  try {
    const list: unknown = JSON.parse(text);
    return Array.isArray(list) ? list.filter((at): at is number => Number.isSafeInteger(at)) : [];
  } catch {
    return [];
  }
}

const columns = '"key", count, reservations, last_failure_at, forgiven_at, expires_at';

/**
 * The brute-force counters and the sources known to accounts, shared by every instance on the
 * database. Every change of counters is a read-decide-write under row locks, so attempts sent to
 * several instances at once are decided one after the other, each seeing the counts the others left.
 */
export function attemptCountersRepository(db: Knex) {
  return {
    /**
     * Locks the counters of `keys` (made, empty, where missing), hands them to `decide`, and stores
     * the counters it returns, all in one transaction. The upsert with `returning` both makes a
     * missing row and takes the row lock on PostgreSQL (a concurrent insert of the same key waits
     * for it, then sees it); keys are locked in sorted order so two attempts never deadlock.
     * On SQLite the one connection serialises transactions: the one-instance case of the same design.
     */
    async change<T>(keys: readonly string[], now: number, decide: (counters: AttemptCounter[]) => { result: T; store: readonly AttemptCounter[] }): Promise<T> {
      const sorted = [...new Set(keys)].sort();
      return db.transaction(async (trx) => {
        const rows = await write<Row>(
          trx,
          `insert into attempt_counters (${columns}) values ${sorted.map(() => "(?, 0, '[]', 0, ?, ?)").join(', ')}
           on conflict ("key") do update set "key" = excluded."key" returning ${columns}`,
          sorted.flatMap((key) => [key, now, now]),
        );
        const byKey = new Map(rows.map((r) => [r.key, counterOf(r)]));
        const { result, store } = decide(keys.map((key) => byKey.get(key)!));
        for (const c of store) {
          await write(
            trx,
            'update attempt_counters set count = ?, reservations = ?, last_failure_at = ?, forgiven_at = ?, expires_at = ? where "key" = ?',
            [c.count, JSON.stringify(c.reservations), c.lastFailureAt, c.forgivenAt, c.expiresAt, c.key],
          );
        }
        return result;
      });
    },
    /** The stored counters of `keys` (missing ones left out), without locking them. */
    async read(keys: readonly string[]): Promise<AttemptCounter[]> {
      const rows = await read<Row>(db, `select ${columns} from attempt_counters where "key" in (${keys.map(() => '?').join(', ')})`, keys);
      return rows.map(counterOf);
    },
    /** The keys and expiries of counters that still matter at `now`, latest expiry first, at most `limit`. */
    async liveByExpiry(now: number, limit: number): Promise<{ key: string; expiresAt: number }[]> {
      const rows = await read<{ key: string; expires_at: number }>(db, 'select "key", expires_at from attempt_counters where expires_at >= ? order by expires_at desc limit ?', [now, limit]);
      return rows.map((r) => ({ key: r.key, expiresAt: Number(r.expires_at) }));
    },
    /** Whether `key` (an account and a source) is remembered at `now`. */
    async isKnownSource(key: string, now: number): Promise<boolean> {
      return (await read(db, 'select 1 as known from known_sign_in_sources where "key" = ? and expires_at > ?', [key, now])).length > 0;
    },
    /** Remembers `key` until `expiresAt` (a later proof extends it). */
    async rememberSource(key: string, expiresAt: number): Promise<void> {
      await write(db, 'insert into known_sign_in_sources ("key", expires_at) values (?, ?) on conflict ("key") do update set expires_at = excluded.expires_at', [
        key,
        expiresAt,
      ]);
    },
    /** Deletes up to `limit` counters that can no longer matter at `now`; returns how many. */
    async purgeCountersBefore(now: number, limit: number): Promise<number> {
      return db('attempt_counters').whereIn('key', db('attempt_counters').select('key').where('expires_at', '<', now).limit(limit)).where('expires_at', '<', now).delete();
    },
    /** Deletes up to `limit` known sources past their time; returns how many. */
    async purgeKnownSourcesBefore(now: number, limit: number): Promise<number> {
      return db('known_sign_in_sources').whereIn('key', db('known_sign_in_sources').select('key').where('expires_at', '<', now).limit(limit)).delete();
    },
  };
}
export type AttemptCountersRepository = ReturnType<typeof attemptCountersRepository>;
