import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../secrets/constant-time.js';

/** `name=value` for every parameter, nested ones as `parent[child]=value`, as QuickBlox's SDKs flatten them. */
function flatten(name: string, value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => flatten(`${name}[]`, item));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => flatten(`${name}[${key}]`, inner));
  }
  return [`${name}=${String(value)}`];
}

/**
 * The string QuickBlox signs (reference §2): every parameter but `signature`, as `name=value` with
 * the raw (decoded) values, sorted (the SDK's default sort, UTF-16 order on the whole string) and
 * joined with `&`.
 */
export function stringToSign(params: Record<string, unknown>): string {
  return Object.entries(params)
    .filter(([name]) => name !== 'signature')
    .flatMap(([name, value]) => flatten(name, value))
    .sort()
    .join('&');
}

/** HMAC-SHA1 for 40 hex digits, HMAC-SHA256 for 64 (the SDK's `config.hash`); anything else never matches. */
const algorithmByLength: ReadonlyMap<number, 'sha1' | 'sha256'> = new Map([[40, 'sha1'], [64, 'sha256']]);

/** Does `signature` sign `params` with `authSecret`? Compared in constant time. */
export function signatureMatches(params: Record<string, unknown>, signature: string, authSecret: string): boolean {
  const algorithm = algorithmByLength.get(signature.length);
  if (!algorithm) return false;
  const expected = createHmac(algorithm, authSecret).update(stringToSign(params), 'utf8').digest('hex');
  return constantTimeEqual(expected, signature.toLowerCase());
}
