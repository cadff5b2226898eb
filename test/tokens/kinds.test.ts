import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokensRepository } from '../../src/db/repositories/tokens.js';
import { tokenKinds } from '../../src/tokens/kinds.js';
import { TokenStore } from '../../src/tokens/token-store.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The registry of token kinds: each kind makes its own values, and a row read back is trusted only
 * when its kind, principal, subject, ceiling and metadata are ones the server writes.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A store with a cache of its own, so that each test reads the rows it changed. */
const freshStore = () => new TokenStore(tokensRepository(server.deps.db), server.clock, { cacheTtlMs: 60_000, cacheSize: 100, writeBehindMs: 60_000 });
const admin = { principalKind: 'superuser', organizationId: null, applicationId: null, subjectKind: 'admin', subjectId: 1, lifetimeMs: null } as const;
const session = {
  principalKind: 'appSession', organizationId: null, applicationId: null, subjectId: null, ceiling: 'read', lifetimeMs: 60_000, idleTtlMs: 30_000,
  metadata: { nonce: 7, ts: 1_700_000_000, updatedAt: 1_700_000_000_000 },
} as const;

describe('the token registry', () => {
  it('issues each kind behind its own prefix, and QuickBlox sessions as 40 hex digits', async () => {
    const store = freshStore();
    expect((await store.issue('access', admin)).value).toMatch(/^tsr_at_[A-Za-z0-9_-]{43}$/);
    expect((await store.issue('session', session)).value).toMatch(/^[0-9a-f]{40}$/);
  });

  it('stores what the kind fixes beside what the issuer gave, and its expiry counted from now', async () => {
    const { token } = await freshStore().issue('session', session);
    expect(token).toMatchObject({ kind: 'session', subjectKind: 'user', scopes: [], clientId: null, name: null, familyId: null, metadata: session.metadata });
    expect(token.expiresAt).toBe(token.createdAt + 60_000);
  });

  it('completes the issuer\'s fields: what the kind fixes wins, a value the issuer gave (null too) is kept, an omitted one is unset', () => {
    const given = { ...admin, scopes: ['read'], name: 'given name', clientId: 'given-client', metadata: { nonce: 1 } };
    // An access token fixes its ceiling, scopes, name and idle lifetime; the rest are the issuer's or unset.
    expect(tokenKinds.access.fields(given as never)).toStrictEqual({
      principalKind: 'superuser', organizationId: null, applicationId: null, subjectKind: 'admin', subjectId: 1,
      ceiling: 'write', scopes: [], clientId: 'given-client', name: null, familyId: null, idleTtlMs: null,
    });
    const oauthGiven = { principalKind: 'oauthClient', organizationId: 3, applicationId: 4, subjectKind: 'client', subjectId: null, ceiling: 'read', scopes: ['read'], clientId: 'c', lifetimeMs: 1 };
    expect(tokenKinds.oauth_access.fields(oauthGiven as never)).toStrictEqual({
      principalKind: 'oauthClient', organizationId: 3, applicationId: 4, subjectKind: 'client', subjectId: null,
      ceiling: 'read', scopes: ['read'], clientId: 'c', name: null, familyId: null, idleTtlMs: null,
    });
  });

  it('takes a row whose metadata is not its kind\'s for no token at all', async () => {
    const { value, token } = await freshStore().issue('session', session);
    await server.deps.db('tokens').where({ id: token.id }).update({ metadata: JSON.stringify({ nonce: 'seven', ts: 1, updatedAt: 1 }) });
    const store = freshStore();
    expect(await store.lookup(value)).toEqual({ status: 'unknown' });
    expect(await store.findByValue(value)).toBeUndefined();
  });

  it('takes a row of a kind, principal or ceiling it never writes for no token at all', async () => {
    for (const change of [{ kind: 'master' }, { principal_kind: 'root' }, { ceiling: 'admin' }, { metadata: '{not json' }]) {
      const { value, token } = await freshStore().issue('access', admin);
      await server.deps.db('tokens').where({ id: token.id }).update(change);
      expect((await freshStore().lookup(value)).status).toBe('unknown');
    }
  });
});
