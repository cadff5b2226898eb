import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets without leaking, through timing, how much of them matched. Both sides are
 * hashed first so that inputs of different lengths take the same path (node-oidc-provider's
 * `constant_equals.js` does the same with padding).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = hash('sha256', a, 'buffer');
  const db = hash('sha256', b, 'buffer');
  return timingSafeEqual(da, db);
}
