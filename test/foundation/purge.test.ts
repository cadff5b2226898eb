import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sha256 } from '../../src/secrets/digest.js';
import { Sweeper } from '../../src/sweep.js';
import { codeFor, PageSession, passwordTokens, pkce, redirectUri, token } from '../helpers/oauth.js';
import { postSession, qb, sessionRequest } from '../helpers/quickblox.js';
import { ManualClock, startTestServer } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

let world: OAuthWorld;
const clock = new ManualClock(Date.now());
const minutes = 60_000;
const hours = 60 * minutes;
const days = 24 * hours;
/** The default grace before a dead token is deleted. */
const grace = 1 * hours;

beforeAll(async () => {
  world = await startWorld({ clock, oauth: true });
});
afterAll(() => world.server.close());

const db = () => world.server.deps.db;
const countTokens = async (where: Record<string, unknown>) => Number((await db()('tokens').where(where).count({ n: '*' }))[0]!.n);
const rowOf = (value: string) => db()('tokens').where({ hash: sha256(value) }).first();
const authorizeQuery = () => ({
  client_id: world.confidential.client_id, redirect_uri: redirectUri, response_type: 'code', state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256',
});
const refresh = (value: string) => token(world, { grant_type: 'refresh_token', refresh_token: value });

describe('the sweep', () => {
  it('forgets the OAuth interactions anonymous authorization requests leave, once they expire, and leaves live ones working', async () => {
    const before = await countTokens({ kind: 'oauth_interaction' });
    for (let i = 0; i < 20; i++) await new PageSession(world).get(authorizeQuery());
    expect(await countTokens({ kind: 'oauth_interaction' })).toBe(before + 20);
    const session = new PageSession(world);
    const live = await session.start(authorizeQuery());
    await world.server.sweep();
    expect(await countTokens({ kind: 'oauth_interaction' })).toBe(before + 21);
    expect((await session.signIn(live)).status).toBe(303);

    clock.advance(30 * minutes);
    await world.server.sweep();
    expect(await countTokens({ kind: 'oauth_interaction' })).toBe(0);
  });

  it('forgets an answered interaction at once, and a consent sent again still gets an error, not a second code', async () => {
    const session = new PageSession(world);
    const interaction = await session.start(authorizeQuery());
    await session.signIn(interaction);
    expect((await session.consent({ interaction, decision: 'approve' })).status).toBe(303);
    await world.server.sweep();
    expect(await rowOf(interaction)).toBeUndefined();
    const again = await session.consent({ interaction, decision: 'approve' });
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
  });

  it('deletes in bounded batches, and a sweep takes only so many of them', async () => {
    for (let i = 0; i < 10; i++) await new PageSession(world).get(authorizeQuery());
    clock.advance(30 * minutes);
    const small = new Sweeper(world.server.deps, { batchSize: 3, batchesPerSweep: 2 });
    expect((await small.sweep()).tokens).toBe(6);
    expect(await countTokens({ kind: 'oauth_interaction' })).toBe(4);
    expect((await small.sweep()).tokens).toBe(4);
    expect(await countTokens({ kind: 'oauth_interaction' })).toBe(0);
  });

  it('keeps a used code while a token of its grant lives, so a late replay still revokes the grant; then forgets the grant', async () => {
    const { code, verifier } = await codeFor(world);
    const tokens = (await token(world, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier })).data!;
    const family = (await rowOf(code))!.family_id as string;
    clock.advance(3 * hours); // the code (10 min) and the access token (2 h) are long dead, past the grace too
    await world.server.sweep();
    expect(await rowOf(code)).toBeDefined();
    const replay = await token(world, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
    expect(replay.error).toMatchObject({ error: 'invalid_grant' });
    expect((await refresh(tokens.refresh_token!)).error).toMatchObject({ error: 'invalid_grant' });

    clock.advance(grace + 1);
    await world.server.sweep();
    expect(await countTokens({ family_id: family })).toBe(0);
  });

  it('keeps a rotated refresh token while its successor lives, so a replay days later still revokes the grant', async () => {
    const first = await passwordTokens(world);
    const second = (await refresh(first.refresh_token)).data!;
    clock.advance(10 * days);
    await world.server.sweep();
    expect((await refresh(first.refresh_token)).error).toMatchObject({ error: 'invalid_grant' });
    expect((await refresh(second.refresh_token!)).error).toMatchObject({ error: 'invalid_grant' });
  });

  it('forgets a grant once its last refresh token expired, and an access token once expired or revoked, after the grace and not before', async () => {
    const tokens = await passwordTokens(world);
    const family = (await rowOf(tokens.refresh_token))!.family_id as string;
    const admin = (await world.api().POST('/management/token', { body: { grant_type: 'password', username: world.acme.admin.username, password: world.acme.admin.password } })).data!;
    clock.advance(7 * days + 1); // the admin's token expired, just now
    await world.server.sweep();
    expect(await rowOf(admin.access_token)).toBeDefined();
    clock.advance(grace);
    await world.server.sweep();
    expect(await rowOf(admin.access_token)).toBeUndefined();
    expect((await world.api(admin.access_token).GET('/management/me')).response.status).toBe(401);
    expect(await countTokens({ family_id: family })).toBeGreaterThan(0);

    clock.advance(23 * days - grace); // the refresh token expired, just now
    await world.server.sweep();
    expect(await countTokens({ family_id: family })).toBeGreaterThan(0);
    clock.advance(grace);
    await world.server.sweep();
    expect(await countTokens({ family_id: family })).toBe(0);
  });

  it('forgets QuickBlox nonces once the timestamp check refuses them anyway, and not before', async () => {
    const form = sessionRequest(world.acme, clock, { nonce: 3131 });
    expect((await postSession(qb(world.server.url), form)).response.status).toBe(201);
    const nonces = () => db()('quickblox_nonces').count({ n: '*' }).then((rows) => Number(rows[0]!.n));
    clock.advance(59 * minutes);
    await world.server.sweep();
    expect(await nonces()).toBe(1);
    expect((await postSession(qb(world.server.url), form)).response.status).toBe(422);
    clock.advance(2 * hours);
    await world.server.sweep();
    expect(await nonces()).toBe(0);
    expect((await postSession(qb(world.server.url), form)).response.status).toBe(422);
  });

  it('forgets audit events once their latest occurrence is past the retention (90 days), and not before', async () => {
    // This test's events: the tests before it record revocations at earlier times, which go sooner.
    const since = clock.now();
    const events = () => db()('audit_events').where('at', '>=', since).count({ n: '*' }).then((rows) => Number(rows[0]!.n));
    const wrong = () => world.api().POST('/{org}/{app}/token', { params: { path: { org: 'acme', app: 'app' } }, body: { grant_type: 'password', username: 'nobody-here', password: 'wrong-password' } });
    expect((await wrong()).response.status).toBe(400);
    const recorded = await events();
    expect(recorded).toBeGreaterThan(0);
    clock.advance(89 * days);
    await world.server.sweep();
    expect(await events()).toBe(recorded);
    clock.advance(2 * days);
    await world.server.sweep();
    expect(await events()).toBe(0);
  });
});

describe('the server', () => {
  it('sweeps on its own timer, and stops it on close', async () => {
    const own = new ManualClock(Date.now());
    const server = await startTestServer({ clock: own, config: { purgeIntervalMs: 20 } });
    try {
      const { token: signIn } = await server.deps.tokens.issue('access', {
        principalKind: 'superuser', organizationId: null, applicationId: null, subjectKind: 'admin', subjectId: null, lifetimeMs: minutes,
      });
      own.advance(minutes + grace + 1);
      await vi.waitFor(async () => expect(await server.deps.db('tokens').where({ id: signIn.id }).first()).toBeUndefined(), { timeout: 5000, interval: 20 });
    } finally {
      await server.close();
    }
  });
});
