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
  const temporary = `${file}.${process.pid}.tmp`;
  // One a crashed run left; then O_EXCL ('wx'): never written through a link someone put there.
  fs.rmSync(temporary, { force: true });
  const descriptor = fs.openSync(temporary, 'wx', 0o600);
  try {
    fs.writeFileSync(descriptor, `${JSON.stringify(credentials, null, 2)}\n`);
  } finally {
    fs.closeSync(descriptor);
  }
  fs.renameSync(temporary, file);
  return file;
}

/** The stored credentials, or undefined when there are none. */
export function readCredentials(env: NodeJS.ProcessEnv, purpose: 'use' | 'revoke' = 'use'): StoredCredentials | undefined {
  const file = credentialsFile(env);
  let text: string;
  try {
    // As ssh does with a private key: a token others could have read is refused, not used; only
    // `logout` reads it, to revoke it on the server (deleting the file alone would leave it working).
    if (purpose === 'use' && process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
      throw new NotSignedInError(`${file} may be read by other users: run tessera logout to revoke its token, then tessera login again`);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
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
