import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

/** What `DATABASE_URL` may say (src/config.ts): a start on a database other than the one meant is refused. */
describe('DATABASE_URL', () => {
  it('takes sqlite: with a plain file path, and refuses a file: URI or ?options (a folder named `file:`, a file named `x?mode=rw`)', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/tessera/tessera.sqlite' }).databaseUrl).toBe('sqlite:/var/lib/tessera/tessera.sqlite');
    expect(loadConfig({ DATABASE_URL: 'sqlite:./data/tessera.sqlite' }).databaseUrl).toBe('sqlite:./data/tessera.sqlite');
    for (const url of ['sqlite:file:/var/lib/tessera/tessera.sqlite', 'sqlite:/var/lib/tessera/tessera.sqlite?mode=rw', 'sqlite:file:tessera.sqlite?cache=shared']) {
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(/takes a plain file path/);
    }
    expect(() => loadConfig({ DATABASE_URL: 'mysql://nope' })).toThrow(/must start with sqlite: or postgres/);
  });
});
