import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/server.js';
import { introspect, oauthWorld, passwordTokens, token, type OAuthWorld } from './setup.js';

let world: OAuthWorld;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  world = await oauthWorld({ clock });
});
afterAll(() => world.server.close());

const refresh = (refreshToken: string, extra: Record<string, string> = {}, as = world.confidential) => token(world, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, as);
const active = async (value: string) => (await introspect(world, value)).body.active as boolean;

describe('oauthToken: refresh_token', () => {
  it('rotates the refresh token on every use, in the exact success shape', async () => {
    const first = await passwordTokens(world);
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(Object.keys(second.body)).toEqual(['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope']);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect(await active(first.refresh_token)).toBe(false);
    expect(await active(second.body.refresh_token)).toBe(true);
  });

  it('9700-07: a replayed refresh token after the retry window revokes the whole family, the live refresh token included', async () => {
    const first = await passwordTokens(world);
    const second = await refresh(first.refresh_token);
    clock.advance(11_000);
    const replay = await refresh(first.refresh_token);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect(await active(second.body.refresh_token)).toBe(false);
    expect(await active(second.body.access_token)).toBe(false);
    expect(await active(first.access_token)).toBe(false);
    expect((await refresh(second.body.refresh_token)).status).toBe(400);
    expect((await world.http.get('/acme/app/users', { token: second.body.access_token })).status).toBe(401);
  });

  it('answers an identical retry within the window with the very same response, and keeps the family', async () => {
    const first = await passwordTokens(world);
    const answer = await refresh(first.refresh_token);
    clock.advance(9_000);
    const retry = await refresh(first.refresh_token);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(answer.body);
    expect(await active(answer.body.refresh_token)).toBe(true);
    expect((await refresh(answer.body.refresh_token)).status).toBe(200);
  });

  it('answers concurrent identical refreshes (two tabs) with one rotation, not a logout', async () => {
    const first = await passwordTokens(world);
    const answers = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token), refresh(first.refresh_token)]);
    for (const answer of answers) expect(answer.status).toBe(200);
    expect(new Set(answers.map((a) => a.body.refresh_token)).size).toBe(1);
    expect(await active(answers[0]!.body.refresh_token)).toBe(true);
  });

  it('treats a retry as a replay once the new refresh token was used, or when it asks something else', async () => {
    const first = await passwordTokens(world);
    const second = await refresh(first.refresh_token);
    await refresh(second.body.refresh_token);
    expect((await refresh(first.refresh_token)).status).toBe(400);

    const other = await passwordTokens(world);
    const rotated = await refresh(other.refresh_token);
    const different = await refresh(other.refresh_token, { scope: 'read' });
    expect(different.status).toBe(400);
    expect(await active(rotated.body.refresh_token)).toBe(false);
  });

  it('6749-30: refuses a refresh token issued to another client', async () => {
    const first = await passwordTokens(world);
    const answer = await refresh(first.refresh_token, {}, world.thirdParty);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_grant');
    expect(await active(first.refresh_token)).toBe(true);
  });

  it('6749-31 and 9700-08: never widens the scope; omitting it keeps the original', async () => {
    const readOnly = await passwordTokens(world, 'read');
    const wider = await refresh(readOnly.refresh_token, { scope: 'read write' });
    expect(wider.status).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
    const same = await refresh(readOnly.refresh_token);
    expect(same.status).toBe(200);
    expect(same.body.scope).toBe('read');
  });

  it('6749-32: keeps the grant’s scope on the new refresh token when the access token asks for less', async () => {
    const full = await passwordTokens(world);
    const narrowed = await refresh(full.refresh_token, { scope: 'read' });
    expect(narrowed.body.scope).toBe('read');
    expect((await introspect(world, narrowed.body.access_token)).body.scope).toBe('read');
    expect((await introspect(world, narrowed.body.refresh_token)).body.scope).toBe('read write');
  });

  it('9700-15: a password change revokes the user’s refresh tokens', async () => {
    const first = await passwordTokens(world);
    const changed = await world.http.put('/acme/app/users/alice', { token: world.org.admin.token, json: { password: 'alice-password-2' } });
    expect(changed.status).toBe(200);
    expect(await active(first.refresh_token)).toBe(false);
    expect((await refresh(first.refresh_token)).status).toBe(400);
    await world.http.put('/acme/app/users/alice', { token: world.org.admin.token, json: { password: 'alice-password-1' } });
  });
  it('refuses an expired refresh token, and one that was never issued', async () => {
    const first = await passwordTokens(world);
    clock.advance(30 * 24 * 3600_000);
    expect((await refresh(first.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refresh('tsr_ort_never-issued')).body.error).toBe('invalid_grant');
  });
});
