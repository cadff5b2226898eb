import { createHash } from 'node:crypto';

/** Tokens and client secrets are long random values, so one round of SHA-256 is enough at rest. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}
