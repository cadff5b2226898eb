import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeApp } from '../helpers/fixtures.js';
import { granted, grantedWithRefresh, introspect, passwordTokens, token, type TokenRequest } from '../helpers/oauth.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

let world: OAuthWorld;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  world = await startWorld({ clock, oauth: true });
});
afterAll(() => world.server.close());

const refresh = (refreshToken: string, extra: Partial<TokenRequest> = {}, as = world.confidential) => token(world, { grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }, as);
const active = async (value: string) => (await introspect(world, value)).data?.active;
/** Alice's new password, set by the organization's admin. */
const setPassword = (password: string) =>
  world.api(world.acme.admin.token).PUT('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: 'alice' } }, body: { password } });

describe('oauthToken: refresh_token', () => {
  it('rotates the refresh token on every use, in the exact success shape', async () => {
    const first = await passwordTokens(world);
    const answer = await refresh(first.refresh_token);
    expect(answer.response.status).toBe(200);
    const second = grantedWithRefresh(answer);
    expect(Object.keys(granted(answer))).toEqual(['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope']);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(await active(first.refresh_token)).toBe(false);
    expect(await active(second.refresh_token)).toBe(true);
  });

  it('9700-07: a replayed refresh token after the retry window revokes the whole family, the live refresh token included', async () => {
    const first = await passwordTokens(world);
    const second = grantedWithRefresh(await refresh(first.refresh_token));
    clock.advance(11_000);
    const replay = await refresh(first.refresh_token);
    expect(replay.response.status).toBe(400);
    expect(replay.error).toMatchObject({ error: 'invalid_grant', error_description: 'The refresh token was already used; every token of this grant is revoked' });
    expect(await active(second.refresh_token)).toBe(false);
    expect(await active(second.access_token)).toBe(false);
    expect(await active(first.access_token)).toBe(false);
    expect((await refresh(second.refresh_token)).response.status).toBe(400);
    expect((await world.api(second.access_token).GET('/{org}/{app}/users', { params: { path: acmeApp } })).response.status).toBe(401);
  });

  it('answers an identical retry within the window with the very same response, and keeps the family', async () => {
    const first = await passwordTokens(world);
    const answer = grantedWithRefresh(await refresh(first.refresh_token));
    clock.advance(9_000);
    const retry = await refresh(first.refresh_token);
    expect(retry.response.status).toBe(200);
    expect(retry.data).toEqual(answer);
    expect(await active(answer.refresh_token)).toBe(true);
    expect((await refresh(answer.refresh_token)).response.status).toBe(200);
  });

  it('answers concurrent identical refreshes (two tabs) with one rotation, not a logout', async () => {
    const first = await passwordTokens(world);
    const answers = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token), refresh(first.refresh_token)]);
    for (const answer of answers) expect(answer.response.status).toBe(200);
    expect(new Set(answers.map((a) => a.data?.refresh_token)).size).toBe(1);
    expect(await active(grantedWithRefresh(answers[0]!).refresh_token)).toBe(true);
  });

  it('treats a retry as a replay once the new refresh token was used, or when it asks something else', async () => {
    const first = await passwordTokens(world);
    const second = grantedWithRefresh(await refresh(first.refresh_token));
    await refresh(second.refresh_token);
    expect((await refresh(first.refresh_token)).response.status).toBe(400);

    const other = await passwordTokens(world);
    const rotated = grantedWithRefresh(await refresh(other.refresh_token));
    const different = await refresh(other.refresh_token, { scope: 'read' });
    expect(different.response.status).toBe(400);
    expect(await active(rotated.refresh_token)).toBe(false);
  });

  it('6749-30: refuses a refresh token issued to another client', async () => {
    const first = await passwordTokens(world);
    const answer = await refresh(first.refresh_token, {}, world.thirdParty);
    expect(answer.response.status).toBe(400);
    expect(answer.error?.error).toBe('invalid_grant');
    expect(await active(first.refresh_token)).toBe(true);
  });

  it('6749-31 and 9700-08: never widens the scope; omitting it keeps the original', async () => {
    const readOnly = await passwordTokens(world, 'read');
    const wider = await refresh(readOnly.refresh_token, { scope: 'read write' });
    expect(wider.response.status).toBe(400);
    expect(wider.error?.error).toBe('invalid_scope');
    const same = await refresh(readOnly.refresh_token);
    expect(same.response.status).toBe(200);
    expect(same.data?.scope).toBe('read');
  });

  it('6749-32: keeps the grant’s scope on the new refresh token when the access token asks for less', async () => {
    const full = await passwordTokens(world);
    const narrowed = grantedWithRefresh(await refresh(full.refresh_token, { scope: 'read' }));
    expect(narrowed.scope).toBe('read');
    expect((await introspect(world, narrowed.access_token)).data?.scope).toBe('read');
    expect((await introspect(world, narrowed.refresh_token)).data?.scope).toBe('read write');
  });

  it('9700-15: a password change revokes the user’s refresh tokens', async () => {
    const first = await passwordTokens(world);
    const changed = await setPassword('alice-password-2');
    expect(changed.response.status).toBe(200);
    expect(await active(first.refresh_token)).toBe(false);
    const refused = await refresh(first.refresh_token);
    expect(refused.response.status).toBe(400);
    // Revoked with its grant, never used: not answered as a replay, which would send whoever reads it chasing a theft.
    expect(refused.error).toMatchObject({ error: 'invalid_grant', error_description: 'The refresh token was revoked' });
    await setPassword('alice-password-1');
  });
  it('refuses an expired refresh token, and one that was never issued', async () => {
    const first = await passwordTokens(world);
    clock.advance(30 * 24 * 3600_000);
    expect((await refresh(first.refresh_token)).error?.error).toBe('invalid_grant');
    expect((await refresh('tsr_ort_never-issued')).error?.error).toBe('invalid_grant');
  });
});
