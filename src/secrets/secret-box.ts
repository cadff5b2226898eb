import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A short name for a server key that says nothing about it: the first 48 bits of an HMAC under the
 * key of a fixed label. Written into every sealed value, so that a value names the key to open it
 * with and a key rotation can tell which values are still to re-seal.
 */
/** How many characters a key id has (6 bytes, base64url), as sealed values carry it after `v2.`. */
export const sealedKeyIdLength = 8;

export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('tessera server key id').digest().subarray(0, 6).toString('base64url');
}

/**
 * The key check value stored in the database: an HMAC under the key of another fixed label. It
 * proves which key sealed the database's secrets without storing the key, nor anything it could be
 * read back from.
 */
export function keyCheckValue(key: Buffer): string {
  return createHmac('sha256', key).update('tessera server key check').digest('base64url');
}

interface RingKey {
  id: string;
  key: Buffer;
}

/**
 * Encrypts the few secrets the server must read back (a QuickBlox application's `auth_secret`,
 * which keys the HMAC of every `POST /session.json`) with AES-256-GCM under the server key.
 *
 * A key ring: `key` seals, `previous` keys still open what they sealed, so that a key rotation needs
 * no downtime (`tessera rotate-key`). Stored as `v2.<key id>.<iv>.<tag>.<ciphertext>` in base64url,
 * the prefix authenticated as associated data. Values from before key ids (`v1.<iv>.<tag>.<ciphertext>`)
 * are opened by trying each key of the ring: GCM's tag tells the right one.
 */
export class SecretBox {
  private readonly current: RingKey;
  private readonly ring: RingKey[];

  constructor(key: Buffer, previous: readonly Buffer[] = []) {
    for (const k of [key, ...previous]) if (k.length !== 32) throw new Error('The server key must be 32 bytes');
    this.current = { id: keyId(key), key };
    this.ring = [this.current, ...previous.map((k) => ({ id: keyId(k), key: k }))];
  }

  /** The id of the key that seals. */
  get keyId(): string {
    return this.current.id;
  }

  /** The check value of the key that seals. */
  get checkValue(): string {
    return keyCheckValue(this.current.key);
  }

  /** The check values of every key of the ring, the sealing one first. */
  get checkValues(): string[] {
    return this.ring.map(({ key }) => keyCheckValue(key));
  }

  /** The check value of the ring's key with this id (a key id read from a sealed value). */
  checkValueOf(id: string): string | undefined {
    const found = this.ring.find((k) => k.id === id);
    return found && keyCheckValue(found.key);
  }

  /** What every value sealed by this box starts with (to find, in SQL, the values still to re-seal). */
  get sealedPrefix(): string {
    return `v2.${this.current.id}.`;
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const header = `v2.${this.current.id}`;
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(header));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [header, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const opened = this.tryOpen(sealed);
    if (opened === undefined) throw new Error(`A sealed secret cannot be opened with the server key${this.ring.length > 1 ? 's' : ''} (TESSERA_SECRET_KEY, TESSERA_PREVIOUS_SECRET_KEYS)`);
    return opened.plaintext;
  }

  /** The value and the key id that opened it, or undefined when no key of the ring does. */
  tryOpen(sealed: string): { plaintext: string; keyId: string } | undefined {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, id, iv, tag, data] = parts as [string, string, string, string, string];
      const key = this.ring.find((k) => k.id === id);
      const plaintext = key && decrypt(key.key, `v2.${id}`, iv, tag, data);
      return plaintext === undefined ? undefined : { plaintext, keyId: id };
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, data] = parts as [string, string, string, string];
      for (const key of this.ring) {
        const plaintext = decrypt(key.key, undefined, iv, tag, data);
        if (plaintext !== undefined) return { plaintext, keyId: key.id };
      }
      return undefined;
    }
    throw new Error('Unknown sealed secret format');
  }
}

function decrypt(key: Buffer, header: string | undefined, iv: string, tag: string, data: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    if (header !== undefined) decipher.setAAD(Buffer.from(header));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function decodeKey(text: string, name = 'TESSERA_SECRET_KEY'): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, as 64 hex digits or base64`);
  return key;
}

/** The keys of `TESSERA_PREVIOUS_SECRET_KEYS`: they open what they sealed, never seal. */
export function decodePreviousKeys(configured: readonly string[]): Buffer[] {
  return configured.map((text) => decodeKey(text, 'each of TESSERA_PREVIOUS_SECRET_KEYS'));
}

/** The key from `TESSERA_SECRET_KEY`, or the one generated into the data folder on an earlier start; undefined when neither. */
export function readServerKey(configured: string | undefined, dataDir: string): Buffer | undefined {
  if (configured) return decodeKey(configured);
  const file = path.join(dataDir, 'server.key');
  return fs.existsSync(file) ? decodeKey(fs.readFileSync(file, 'utf8')) : undefined;
}

/** Keeps a key generated on a first start in the data folder, for the next starts (only its owner reads it). */
export function saveServerKey(key: Buffer, dataDir: string): void {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(path.join(dataDir, 'server.key'), key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
}
