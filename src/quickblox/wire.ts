/** How QuickBlox writes times on the wire (reference §2, §7). */

/** `2026-11-23 16:29:04 UTC`: the one form of `QB-Token-ExpirationDate` the JS SDK can parse (ISO 8601 gives it an Invalid Date). */
export function expirationDate(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

/** `2019-09-01T14:55:56Z`: ISO 8601 in UTC to the second, as in sessions and users. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Unix seconds, as in custom objects' `created_at` and `updated_at`. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** The header every answer to a request with a valid `QB-Token` carries (reference §7). */
export function expirationHeaders(expiresAt: number): { 'QB-Token-ExpirationDate': string } {
  return { 'QB-Token-ExpirationDate': expirationDate(expiresAt) };
}
