import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NotSignedInError } from '../command.js';

/** What `tessera login` keeps: the admin token and the server it was issued by (it is sent nowhere else). */
export interface StoredCredentials {
  url: string;
  username: string;
  access_token: string;
  /** ms since the epoch. */
  expires_at: number;
}

/** The folder of the credentials file: TESSERA_CONFIG_DIR, else $XDG_CONFIG_HOME/tessera, else ~/.config/tessera. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.TESSERA_CONFIG_DIR) return env.TESSERA_CONFIG_DIR;
  return path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'tessera');
}

export const credentialsFile = (env: NodeJS.ProcessEnv) => path.join(configDir(env), 'credentials.json');

/**
 * Written to a new file created 0600 in a 0700 folder, then renamed over the old one: the token is
 * never, even for a moment, in a file another local user may read, and a crash leaves the old file
 * or the new one, never half of one.
 */
export function saveCredentials(env: NodeJS.ProcessEnv, credentials: StoredCredentials): string {
  const file = credentialsFile(env);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // An existing folder keeps its owner, and another user's could swap the file for one of theirs.
  const foreign = foreignCredentialsFolder(env);
  if (foreign) throw new Error(foreign);
  const temporary = `${file}.${process.pid}.tmp`;
  // One a crashed run left; then O_EXCL ('wx'): never written through a link someone put there.
  fs.rmSync(temporary, { force: true });
  const descriptor = fs.openSync(temporary, 'wx', 0o600);
  try {
    fs.writeFileSync(descriptor, `${JSON.stringify(credentials, null, 2)}\n`);
  } finally {
    fs.closeSync(descriptor);
  }
  // Replaces whatever is there, whoever owns it: the old file is never written through.
  fs.renameSync(temporary, file);
  return file;
}

/** The current user, on POSIX; undefined on Windows, where files have neither a uid nor a mode to check. */
const currentUser = () => (process.platform === 'win32' ? undefined : process.getuid?.());

/**
 * Why a file or folder is not trusted when another user owns it, as ssh refuses such a key: its
 * owner may put anything there at any time, e.g. their own server as the one the admin's token
 * goes to. Undefined when it is the user's own.
 */
function foreignOwner(stats: fs.Stats, described: string): string | undefined {
  const me = currentUser();
  return me !== undefined && stats.uid !== me ? `${described} is owned by uid ${stats.uid}, not by you (uid ${me})` : undefined;
}

/**
 * Why the credentials folder, when it exists, is not the user's own: checked before anything reads
 * the file in it, and by `login` before it asks for a password (a token issued and then not stored
 * would go on working, unknown to anyone).
 */
export function foreignCredentialsFolder(env: NodeJS.ProcessEnv): string | undefined {
  const folder = configDir(env);
  let stats: fs.Stats;
  try {
    stats = fs.statSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const why = foreignOwner(stats, `the credentials folder ${folder}`);
  if (why) return `${why}: its owner could swap the credentials in it; set TESSERA_CONFIG_DIR to a folder of your own`;
  // As ssh's StrictModes: others who may write in the folder may put their own file there (their
  // server as the one the token goes to), or a FIFO that every command would wait on.
  if (currentUser() !== undefined && (stats.mode & 0o022) !== 0) {
    return `the credentials folder ${folder} may be written by other users: chmod go-w it, or set TESSERA_CONFIG_DIR to a folder of your own`;
  }
  return undefined;
}

function refuseForeignFile(stats: fs.Stats, file: string): void {
  const why = foreignOwner(stats, file);
  if (why) throw new NotSignedInError(`${why}: its token is sent nowhere (another user may have put it there); remove it, then tessera login`);
}

/**
 * The stored credentials, or undefined when there are none. `revoke` (logout) still reads a file
 * others could read, but never one another user owns, nor one in another user's folder: its
 * server is whoever wrote it, and the token in it is not the user's to send anywhere.
 */
export function readCredentials(env: NodeJS.ProcessEnv, purpose: 'use' | 'revoke' = 'use'): StoredCredentials | undefined {
  const foreign = foreignCredentialsFolder(env);
  if (foreign) throw new NotSignedInError(foreign);
  const file = credentialsFile(env);
  let descriptor: number;
  try {
    // Non-blocking: opening a FIFO someone put there would otherwise wait for a writer for ever,
    // before any check or time limit. A regular file reads the same either way.
    descriptor = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Another user's file this one may not even open: said as such, rather than as EACCES.
    if ((error as NodeJS.ErrnoException).code === 'EACCES') refuseForeignFile(fs.statSync(file), file);
    throw error;
  }
  let text: string;
  try {
    // The checks and the read are of the one file opened: nothing swaps it in between.
    const stats = fs.fstatSync(descriptor);
    refuseForeignFile(stats, file);
    if (!stats.isFile()) throw new NotSignedInError(`${file} is not a file: run tessera login`);
    // As ssh does with a private key: a token others could have read is refused, not used; only
    // `logout` reads it, to revoke it on the server (deleting the file alone would leave it working).
    if (purpose === 'use' && currentUser() !== undefined && (stats.mode & 0o077) !== 0) {
      throw new NotSignedInError(`${file} may be read by other users: run tessera logout to revoke its token, then tessera login again`);
    }
    text = fs.readFileSync(descriptor, 'utf8');
  } finally {
    fs.closeSync(descriptor);
  }
  let stored: Partial<StoredCredentials>;
  try {
    stored = JSON.parse(text) as Partial<StoredCredentials>;
  } catch {
    throw new NotSignedInError(`${file} is not a tessera credentials file: run tessera login`);
  }
  if (typeof stored?.url !== 'string' || typeof stored.access_token !== 'string' || typeof stored.expires_at !== 'number') throw new NotSignedInError(`${file} is not a tessera credentials file: run tessera login`);
  return stored as StoredCredentials;
}

export function deleteCredentials(env: NodeJS.ProcessEnv): boolean {
  try {
    fs.unlinkSync(credentialsFile(env));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
