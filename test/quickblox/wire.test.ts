import { describe, expect, it } from 'vitest';
import { expirationDate, isoSeconds } from '../../src/quickblox/wire.js';

/** QuickBlox's time formats (src/quickblox/wire.ts), which remember the last second they wrote. */
describe('QuickBlox times on the wire', () => {
  it('writes QB-Token-ExpirationDate as the JS SDK parses it, to the second, in UTC', () => {
    expect(expirationDate(Date.UTC(2026, 10, 23, 16, 29, 4, 999))).toBe('2026-11-23 16:29:04 UTC');
    expect(expirationDate(Date.UTC(2026, 10, 23, 16, 29, 4, 0))).toBe('2026-11-23 16:29:04 UTC');
    expect(expirationDate(Date.UTC(2026, 10, 23, 16, 29, 5, 0))).toBe('2026-11-23 16:29:05 UTC');
    expect(expirationDate(Date.UTC(2026, 10, 23, 16, 29, 4, 1))).toBe('2026-11-23 16:29:04 UTC');
  });

  it('writes ISO 8601 to the second, the milliseconds dropped and never rounded up', () => {
    expect(isoSeconds(Date.UTC(2019, 8, 1, 14, 55, 56, 999))).toBe('2019-09-01T14:55:56Z');
    expect(isoSeconds(Date.UTC(2019, 8, 1, 14, 55, 57, 0))).toBe('2019-09-01T14:55:57Z');
    expect(isoSeconds(-1)).toBe('1969-12-31T23:59:59Z');
    expect(isoSeconds(0)).toBe('1970-01-01T00:00:00Z');
    expect(isoSeconds(Date.UTC(2019, 8, 1, 14, 55, 56, 0))).toBe('2019-09-01T14:55:56Z');
  });

  it('refuses a time that is not one, as Date does', () => {
    expect(() => isoSeconds(Number.NaN)).toThrow(RangeError);
    expect(isoSeconds(0)).toBe('1970-01-01T00:00:00Z');
  });
});
