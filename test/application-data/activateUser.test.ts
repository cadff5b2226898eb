import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordOf } from '../helpers/credentials.js';
import { acmeApp } from '../helpers/fixtures.js';
import { ManualClock } from '../helpers/server.js';
import { signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let w: World;
beforeAll(async () => {
  w = await startWorld({ clock, users: { acme: ['alice', 'bob'] } });
});
afterAll(() => w.server.close());

const userPath = (user: string) => ({ params: { path: { ...acmeApp, user } } });
const passwordGrant = (username: string) =>
  w.api().POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username, password: passwordOf(username) } });

describe('activateUser', () => {
  it('lets a deactivated user sign in again; the tokens the deactivation revoked stay revoked', async () => {
    const before = await signIn(w.http, w.acme, 'alice');
    await w.asAdmin.PUT('/{org}/{app}/users/{user}', { ...userPath('alice'), body: { activated: false } });
    expect((await passwordGrant('alice')).response.status).toBe(400);
    const { data, response } = await w.asAdmin.POST('/{org}/{app}/users/{user}/activate', userPath('alice'));
    expect(response.status).toBe(200);
    expect(data?.entities[0]).toMatchObject({ username: 'alice', activated: true });
    expect((await passwordGrant('alice')).response.status).toBe(200);
    expect((await w.api(before).GET('/{org}/{app}/users/{user}', userPath('me'))).response.status).toBe(401);
  });

  it('is for application admins only (403 for a user, 401 anonymous), and 404 for an unknown user', async () => {
    await w.asAdmin.POST('/{org}/{app}/users/{user}/deactivate', userPath('bob'));
    const alice = await signIn(w.http, w.acme, 'alice');
    expect((await w.api(alice).POST('/{org}/{app}/users/{user}/activate', userPath('bob'))).response.status).toBe(403);
    expect((await w.api().POST('/{org}/{app}/users/{user}/activate', userPath('bob'))).response.status).toBe(401);
    expect((await passwordGrant('bob')).response.status).toBe(400);
    const missing = await w.asAdmin.POST('/{org}/{app}/users/{user}/activate', userPath('nobody'));
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ error: 'entity_not_found' });
  });
});
