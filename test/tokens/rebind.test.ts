import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * A sign-in on a session (QuickBlox `login.json`) or on an OAuth interaction rewrites whom the token
 * stands for. Two sent together must not both win: the rewrite happens only if the row still
 * stands for whom the request read. Deterministic here: the second rewrite works from the record as
 * it was read before the first one.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld({ users: { acme: ['alice', 'bob'] } });
});
afterAll(() => world.server.close());

async function sessionRecord(token: string) {
  const found = await world.server.deps.tokens.lookup(token);
  if (found.status !== 'active' || found.token.kind !== 'session') throw new Error('no live session');
  return found.token;
}

const signedIn = <M>(userId: number, metadata: M) => ({ principalKind: 'appUser' as const, subjectId: userId, ceiling: 'write' as const, metadata });

describe('TokenStore.rebind', () => {
  it('of two sign-ins working from the same read of a session, the second changes nothing; a sign-out still signs out', async () => {
    const { tokens } = world.server.deps;
    const token = await openSession(world.http, world.acme, world.clock);
    const read = await sessionRecord(token);
    expect(await tokens.rebind(read, signedIn(world.ids.alice!, read.metadata))).toBe(true);
    // The second sign-in read the session before the first wrote it: it changes nothing.
    expect(await tokens.rebind(read, signedIn(world.ids.bob!, read.metadata))).toBe(false);
    expect((await sessionRecord(token)).subjectId).toBe(world.ids.alice);
    // A sign-out signs out whoever signed in meanwhile.
    expect(await tokens.rebind(read, { principalKind: 'appSession', subjectId: null, ceiling: 'read', metadata: read.metadata }, false)).toBe(true);
    expect((await sessionRecord(token)).subjectId).toBeNull();
  });

  it('rewrites nothing once the token was revoked', async () => {
    const { tokens } = world.server.deps;
    const token = await openSession(world.http, world.acme, world.clock);
    const read = await sessionRecord(token);
    await tokens.revokeOne(read);
    expect(await tokens.rebind(read, signedIn(world.ids.alice!, read.metadata))).toBe(false);
    expect(await tokens.rebind(read, { principalKind: 'appSession', subjectId: null, ceiling: 'read', metadata: read.metadata }, false)).toBe(false);
    expect((await tokens.lookup(token)).status).toBe('unknown');
  });
});
