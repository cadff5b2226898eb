import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../helpers/api.js';
import type { World } from '../helpers/world.js';
import { expectEachRefused, newAdminUser, startAdminsWorld, type MadeAdmin } from './support.js';

let w: World;
let besides: Record<string, Credential>;
beforeAll(async () => {
  ({ world: w, besides } = await startAdminsWorld());
});
afterAll(() => w.server.close());

type Change = { name?: string; email?: string; username?: string };
const update = (credential: Credential | undefined, user: string, body: Change) => w.api(credential).PUT('/management/users/{user}', { params: { path: { user } }, body });
const read = (user: string) => w.api(w.root).GET('/management/users/{user}', { params: { path: { user } } });
const signIn = (username: string, password: string) => w.api().POST('/management/token', { body: { grant_type: 'password', username, password } });

describe('updateAdminUser', () => {
  let erin: MadeAdmin;
  beforeAll(async () => {
    erin = await newAdminUser(w.server.url, w.root, 'erin');
  });

  it('changes the admin’s own name and email; the new email signs in, the old one does not, and the token goes on working', async () => {
    const answer = await update(erin.token, 'me', { name: 'Erin Example', email: 'Erin.New@Admins.Example' });
    expect(answer.response.status).toBe(200);
    expect(answer.data).toMatchObject({ action: 'update user info', status: 'ok', data: { username: 'erin', name: 'Erin Example', email: 'erin.new@admins.example' } });
    expect(JSON.stringify(answer.data)).not.toMatch(/password|hash|secret/i);
    expect((await signIn('erin.new@admins.example', erin.password)).response.status).toBe(200);
    expect((await signIn(erin.email, erin.password)).response.status).toBe(400);
    expect((await w.api(erin.token).GET('/management/users/{user}', { params: { path: { user: 'me' } } })).response.status).toBe(200);
    erin.email = 'erin.new@admins.example';
  });

  it('lets the superuser change another admin, and accepts the current username sent back unchanged', async () => {
    const answer = await update(w.root, erin.uuid, { name: 'Erin Renamed', username: 'erin' });
    expect(answer.response.status).toBe(200);
    expect(answer.data!.data).toMatchObject({ username: 'erin', name: 'Erin Renamed', email: erin.email });
  });

  it('answers an email another admin has, in any case, with 409 and changes nothing', async () => {
    const answer = await update(erin.token, 'me', { name: 'Not Applied', email: 'ADMIN@acme.example' });
    expect(answer.response.status).toBe(409);
    expect(answer.error).toMatchObject({ error: 'duplicate_unique_property_exists', timestamp: expect.any(Number) });
    expect((await read('erin')).data!.data).toMatchObject({ name: 'Erin Renamed', email: erin.email });
  });

  it('refuses a new username (400 illegal_argument) and bad input (400), changing nothing', async () => {
    const renamed = await update(erin.token, 'me', { name: 'Not Applied', username: 'erin2' });
    expect(renamed.response.status).toBe(400);
    expect(renamed.error).toMatchObject({ error: 'illegal_argument' });
    expect((await update(erin.token, 'me', { username: 'ERIN' })).response.status).toBe(400);
    for (const bad of [{}, { email: 'not-an-email' }, { email: 'a'.repeat(250) + '@x.example' }, { name: '' }, { name: 'x'.repeat(257) }, { name: 42 }, { newpassword: 'a-new-password' }, { name: 'Ok', activated: false }]) {
      const answer = await w.http.put('/management/users/me', { json: bad, token: erin.token });
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(answer.body).toMatchObject({ error: expect.any(String), error_description: expect.any(String), timestamp: expect.any(Number) });
    }
    expect((await w.http.put('/management/users/me', { raw: { body: '{"name":', type: 'application/json' }, token: erin.token })).status).toBe(400);
    expect((await read('erin')).data!.data).toMatchObject({ username: 'erin', name: 'Erin Renamed', email: erin.email, activated: true });
  });

  it('refuses another admin (403), credentials that are no admin user (403; a client pair 401), no credential (401), and an unknown admin (404)', async () => {
    const body = { email: 'taken-over@attacker.example' };
    expect((await update(w.acme.admin.token, 'erin', body)).response.status).toBe(403);
    await expectEachRefused(besides, (credential) => update(credential, 'erin', body), 401);
    expect((await update(undefined, 'erin', body)).response.status).toBe(401);
    const missing = await update(w.root, 'no-such-admin', body);
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ error: 'entity_not_found' });
    expect((await read('erin')).data!.data.email).toBe(erin.email);
  });
});
