import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedExpirationDate, openSession, type QuickBloxWorld, startWorld, withSession } from './support.js';

let { server, http, clock, acme, globex } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme, globex } = await startWorld({ acme: ['alice'] })));
afterAll(() => server.close());

describe("QB-Token on the application's /{org}/{app} routes", () => {
  it('reads with an application session, and says when the session expires', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const users = await session.get('/acme/app/users');
    expect(users.status).toBe(200);
    expect(users.body.entities.map((user: { username: string }) => user.username)).toEqual(['alice']);
    expect(users.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + 7200_000));
    expect((await session.get('/acme/app/cats')).status).toBe(200);
  });

  it('refuses a write by an application session with 403 insufficient_scope, in the Usergrid shape', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.post('/acme/app/cats', { json: { name: 'tom' } });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: 'insufficient_scope' });
    expect(answer.body).toHaveProperty('timestamp');
  });

  it('writes as the user of a user session', async () => {
    const session = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
    const answer = await session.post('/acme/app/cats', { json: { name: 'felix' } });
    expect(answer.status).toBe(200);
    expect((await session.get('/acme/app/users/me')).body.entities[0].username).toBe('alice');
  });

  it('reaches its own application only', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    expect((await session.get('/globex/app/users')).status).toBe(403);
    expect((await session.get('/acme/sandbox/users')).status).toBe(403);
    expect((await withSession(http, await openSession(http, globex, clock)).get('/acme/app/users')).status).toBe(403);
  });

  it('answers a dead session with 401 in the Usergrid shape', async () => {
    const token = await openSession(http, acme, clock);
    await withSession(http, token).delete('/session.json');
    const answer = await withSession(http, token).get('/acme/app/users');
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_token');
  });

  it('refuses a QB-Token beside a bearer token (one credential, one mechanism)', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.get('/acme/app/users', { token: acme.admin.token });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });
});
