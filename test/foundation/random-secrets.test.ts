import { describe, expect, it } from 'vitest';
import { randomHex40, randomSecret } from '../../src/secrets/random.js';

describe('random secrets (drawn from a pool refilled by the CSPRNG)', () => {
  it('never hands out the same bytes twice, across many refills of the pool', () => {
    // 4 KiB per refill: 3000 secrets of 32 bytes and 3000 of 20 go through ~38 refills.
    const secrets = Array.from({ length: 3000 }, () => randomSecret('tsr_t_'));
    const hex = Array.from({ length: 3000 }, () => randomHex40());
    expect(new Set(secrets).size).toBe(secrets.length);
    expect(new Set(hex).size).toBe(hex.length);
    for (const secret of secrets) expect(secret).toMatch(/^tsr_t_[A-Za-z0-9_-]{43}$/);
    for (const value of hex) expect(value).toMatch(/^[0-9a-f]{40}$/);
    // No 8-byte run of one secret appears in another: a pool read twice, or at the wrong offset, would.
    const runs = new Set<string>();
    for (const value of hex) {
      for (let i = 0; i + 16 <= value.length; i += 16) {
        const run = value.slice(i, i + 16);
        expect(runs.has(run)).toBe(false);
        runs.add(run);
      }
    }
  });
});
