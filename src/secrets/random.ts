import { randomBytes } from 'node:crypto';

/** 256 random bits, base64url, behind a prefix that tells secret scanners and logs what it is. */
export function randomSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** 160 random bits as 40 lower-case hex digits: the shape of a QuickBlox session token. */
export function randomHex40(): string {
  return randomBytes(20).toString('hex');
}
