import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokensRepository, type TokensRepository } from '../../src/db/repositories/tokens.js';
import { TokenStore } from '../../src/tokens/token-store.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The token cache never keeps what a revocation made stale. With several database connections
 * (PostgreSQL), a lookup can read a row just before a revocation commits and come back after the
 * revocation emptied the cache; what it read must not be cached then, or the revoked token works
 * for as long as the cache keeps it.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** The real repository, whose reads by hash wait until the test lets them finish. */
function heldReads(repository: TokensRepository) {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held: TokensRepository = {
    ...repository,
    findByHash: async (hash) => {
      const row = await repository.findByHash(hash);
      await gate;
      return row;
    },
  };
  return { held, release };
}

describe('the token cache', () => {
  it('does not cache a row read before a revocation that finished while the read was under way', async () => {
    const repository = tokensRepository(server.deps.db);
    const { held, release } = heldReads(repository);
    const store = new TokenStore(held, server.clock, { cacheTtlMs: 60_000, cacheSize: 100, writeBehindMs: 60_000 });
    const { value, token } = await new TokenStore(repository, server.clock, { cacheTtlMs: 0, cacheSize: 1, writeBehindMs: 60_000 }).issue('access', {
      principalKind: 'superuser', organizationId: null, applicationId: null, subjectKind: 'admin', subjectId: 1, lifetimeMs: null,
    });
    const racing = store.lookup(value);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.revokeWhere({ id: token.id });
    release();
    // The racing lookup began before the revocation: it may still say what it read…
    await racing;
    // …but the next one must see the revocation.
    expect((await store.lookup(value)).status).toBe('unknown');
  });
});
