import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { basicAuth, PageSession, pkce, redirectUri, token } from '../helpers/oauth.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

let world: OAuthWorld;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  world = await startWorld({ clock, oauth: true });
  for (const username of ['bob', 'carol']) {
    await world.api(world.acme.admin.token).POST('/{org}/{app}/users', { params: { path: acmeApp }, body: { username, password: `${username}-password-1` } });
  }
});
afterAll(() => world.server.close());

const events = (subject: string) => world.server.deps.repositories.auditEvents.list({ subject });

describe('brute force against OAuth', () => {
  it('6749-06: slows, then refuses, wrong client secrets (429 + Retry-After), records them, and lets the right secret back in', async () => {
    const { client_id } = world.thirdParty;
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 10; i++) {
      last = await world.api(basicAuth(world.thirdParty, 'wrong-secret')).POST('/oauth/token', { body: { grant_type: 'refresh_token', refresh_token: 'x' }, ...asForm });
      statuses.push(last.response.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429, 429, 429, 429]);
    expect(last!.error?.error).toBe('too_many_requests');
    const wait = Number(last!.response.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    const recorded = await events(client_id);
    // One row per kind of event, counting the repeats.
    expect(recorded.filter((e) => e.type === 'auth.failed').map((e) => e.count)).toEqual([5]);
    expect(recorded.filter((e) => e.type === 'auth.throttled').map((e) => e.count)).toEqual([5]);
    expect(JSON.stringify(recorded)).not.toContain('wrong-secret');

    clock.advance(wait * 1000);
    const right = await world.api(basicAuth(world.thirdParty)).POST('/oauth/token', { body: { grant_type: 'refresh_token', refresh_token: 'x' }, ...asForm });
    expect(right.response.status).toBe(400);
    expect(right.error?.error).toBe('invalid_grant');
  });

  it('6749-06: slows, then refuses, wrong passwords at the password grant, and records them', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await token(world, { grant_type: 'password', username: 'bob', password: 'wrong-password' })).response.status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
    const throttled = await token(world, { grant_type: 'password', username: 'bob', password: 'bob-password-1' });
    expect(throttled.response.status).toBe(429);
    expect(throttled.response.headers.get('retry-after')).toMatch(/^\d+$/);
    const recorded = await events('bob');
    expect(recorded.some((e) => e.type === 'auth.failed' && e.detail?.kind === 'user-password')).toBe(true);
    expect(recorded.some((e) => e.type === 'auth.throttled')).toBe(true);
  });

  it('6749-06: the login page says to wait, with 429 and Retry-After, and shares the count with the password grant', async () => {
    const session = new PageSession(world);
    const page = await session.get({
      client_id: world.confidential.client_id, redirect_uri: redirectUri, response_type: 'code', code_challenge: pkce().challenge, code_challenge_method: 'S256',
    });
    const interaction = PageSession.interactionOf(page);
    for (let i = 0; i < 4; i++) expect((await session.login({ interaction, username: 'carol', password: 'wrong' })).status).toBe(200);
    expect((await token(world, { grant_type: 'password', username: 'carol', password: 'wrong' })).response.status).toBe(400);
    const refused = await session.login({ interaction, username: 'carol', password: 'carol-password-1' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.text).toContain('Too many failed sign-ins for this account. Wait 1 second, then try again.');
    expect(refused.text).toContain('name="password"');

    clock.advance(1000);
    const allowed = await session.login({ interaction, username: 'carol', password: 'carol-password-1' });
    expect(allowed.status).toBe(303);
    expect((await events('carol')).filter((e) => e.type === 'auth.failed').map((e) => e.count)).toEqual([5]);
  });
});
