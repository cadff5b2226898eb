/** How QuickBlox writes times on the wire (reference §2, §7). */

/**
 * A format to the second, remembering the last second it wrote: every answer to a `QB-Token`
 * carries the session's expiry (two hours from now) and most carry a time or two more, so under
 * load most calls repeat the second before. `toISOString` ends in `.sssZ` (5 characters) whatever
 * the year, so slicing is enough.
 */
function toTheSecond(format: (iso: string) => string): (ms: number) => string {
  let second = NaN;
  let written = '';
  return (ms) => {
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      written = format(new Date(s * 1000).toISOString().slice(0, -5));
      second = s;
    }
    return written;
  };
}

/** `2026-11-23 16:29:04 UTC`: the one form of `QB-Token-ExpirationDate` the JS SDK can parse (ISO 8601 gives it an Invalid Date). */
export const expirationDate = toTheSecond((iso) => `${iso.replace('T', ' ')} UTC`);

/** `2019-09-01T14:55:56Z`: ISO 8601 in UTC to the second, as in sessions and users. */
export const isoSeconds = toTheSecond((iso) => `${iso}Z`);

/** Unix seconds, as in custom objects' `created_at` and `updated_at`. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** The header every answer to a request with a valid `QB-Token` carries (reference §7). */
export function expirationHeaders(expiresAt: number): { 'QB-Token-ExpirationDate': string } {
  return { 'QB-Token-ExpirationDate': expirationDate(expiresAt) };
}
