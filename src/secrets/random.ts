import { randomFillSync } from 'node:crypto';

/**
 * Random bytes for the secrets issued on the hot path (every token, every QuickBlox session), drawn
 * from a pool the CSPRNG refills 4 KiB at a time. Each `randomBytes(32)` call cost ~13 µs, almost
 * all of it per call (4 KiB cost ~5 µs), and showed as 5% of a token issuance's CPU in the
 * profile; Node's own `randomUUID` keeps such a pool for the same reason. Bytes handed out are
 * zeroed in the pool at once, so the pool never holds a secret already issued.
 */
const pool = Buffer.alloc(4096);
let next = pool.length;

function drawn(bytes: number, encoding: 'base64url' | 'hex'): string {
  if (next + bytes > pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const text = pool.toString(encoding, next, next + bytes);
  pool.fill(0, next, next + bytes);
  next += bytes;
  return text;
}

/** 256 random bits, base64url, behind a prefix that tells secret scanners and logs what it is. */
export function randomSecret(prefix: string): string {
  return prefix + drawn(32, 'base64url');
}

/** 160 random bits as 40 lower-case hex digits: the shape of a QuickBlox session token. */
export function randomHex40(): string {
  return drawn(20, 'hex');
}
