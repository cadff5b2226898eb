import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite from 'better-sqlite3';

/** A server's hold on its SQLite database, released when it stops (or by the system when its process ends). */
export interface InstanceLock {
  /** The file whose lock is held. */
  lockFile: string;
  /**
   * Whether the lock is still this server's: `held`; when its file was removed or replaced, it is
   * taken again if nobody else has it (`retaken`), else `lost` (two servers now share the database).
   */
  recheck(): 'held' | 'retaken' | 'lost';
  release(): void;
}

/** Another server holds the database: this one must not start. */
export class DatabaseInUse extends Error {}

/**
 * SQLite is one instance. Two servers on one file would each take themselves for the only writer:
 * the brute-force counters of a sole writer skip the reads the other server's counts would need
 * (src/auth/throttle.ts), and no cache hears of the other's changes (there is no change feed). So
 * a server holds an exclusive SQLite lock on a file beside the database for as long as it runs, and
 * a second server on the same file is refused at start, with what to do instead.
 *
 * The lock is SQLite's own (a POSIX advisory lock underneath), so the system drops it when the
 * process ends, however it ends: a server killed with `kill -9` leaves nothing that would refuse
 * its restart. Offline tools (`tessera migrate`, `rotate-key`) do not take it. `:memory:` and
 * PostgreSQL need none (PostgreSQL is the engine for several instances).
 */
export function holdInstanceLock(databaseUrl: string): InstanceLock | undefined {
  if (!databaseUrl.startsWith('sqlite:')) return undefined;
  const filename = databaseUrl.slice('sqlite:'.length);
  if (filename === '' || filename === ':memory:') return undefined;
  // As the database file itself (knex.ts): a folder of the owner's alone, a file only they read.
  fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true, mode: 0o700 });
  fs.closeSync(fs.openSync(filename, 'a', 0o600));
  // Named after the file's real path, so that a symlink, `..` or a relative path to the same file
  // finds the same lock. (A hard link would not, and SQLite itself does not support one: its WAL
  // files are named after the path.)
  const lockFile = `${fs.realpathSync(filename)}-instance-lock`;
  let held = lock(lockFile, filename);
  return {
    lockFile,
    recheck() {
      // The lock is on the file, not on its name: once the file is removed or replaced (a clean-up
      // of "stale lock files"), a second server would lock a new one. Take it again while nobody
      // has; if somebody has, say so, since two servers now share the database.
      if (sameFile(lockFile, held.inode)) return 'held';
      try {
        const retaken = lock(lockFile, filename);
        held.connection.close();
        held = retaken;
        return 'retaken';
      } catch (error) {
        if (error instanceof DatabaseInUse) return 'lost';
        throw error;
      }
    },
    release: () => held.connection.close(),
  };
}

/** Whether `file` is still the file (inode) that was locked. */
function sameFile(file: string, inode: number): boolean {
  try {
    return fs.statSync(file).ino === inode;
  } catch {
    return false;
  }
}

/** An exclusive SQLite lock on `lockFile`, kept until its connection closes; DatabaseInUse when another process has it. */
function lock(lockFile: string, filename: string): { connection: BetterSqlite.Database; inode: number } {
  fs.closeSync(fs.openSync(lockFile, 'a', 0o600));
  // No busy timeout: a held lock is another server running, not a moment's contention.
  const connection = new BetterSqlite(lockFile, { timeout: 0 });
  try {
    // EXCLUSIVE locking mode keeps the lock past the transaction's end, until the connection closes.
    connection.pragma('locking_mode = EXCLUSIVE');
    // A write every time (not only the first): the lock kept is the one a write takes.
    connection.exec('begin exclusive');
    connection.exec('create table if not exists held_by (pid integer)');
    connection.prepare('delete from held_by').run();
    connection.prepare('insert into held_by (pid) values (?)').run(process.pid);
    connection.exec('commit');
    return { connection, inode: fs.statSync(lockFile).ino };
  } catch (error) {
    connection.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DatabaseInUse(
        `another Tessera server is running on ${filename}: SQLite is one instance (stop it first, or use PostgreSQL, DATABASE_URL=postgres://…, for several)`,
      );
    }
    throw error;
  }
}
