import pg from 'pg';

/**
 * The advisory-lock key that serializes start-up work (migrations, the superuser, the demo) across
 * instances sharing one PostgreSQL database: 'tess' in ASCII, a number no other lock of ours uses.
 */
const startupLockKey = 0x74657373;

/**
 * Runs `work` while holding a PostgreSQL advisory lock, so instances starting together on one
 * database migrate and seed it once: the first runs `work`, the others wait at the lock and then
 * find everything done (every step of `work` checks what exists before it creates). The lock lives
 * on a connection of its own, outside the knex pool, so `work` can use the whole pool; if the
 * process dies, PostgreSQL ends its session and the lock with it. SQLite is one instance: no lock.
 */
export async function withStartupLock<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) return work();
  const connection = new pg.Client({ connectionString: databaseUrl });
  // A connection error while waiting or working surfaces as a failed query below; without a
  // listener it would be an uncaught 'error' event.
  connection.on('error', () => {});
  await connection.connect();
  try {
    await connection.query('select pg_advisory_lock($1)', [startupLockKey]);
    try {
      return await work();
    } finally {
      await connection.query('select pg_advisory_unlock($1)', [startupLockKey]).catch(() => {});
    }
  } finally {
    await connection.end().catch(() => {});
  }
}
