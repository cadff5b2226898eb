import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needUser, openSession, type QuickBloxWorld, startWorld, withSession } from './support.js';

let { server, http, clock, acme, ids } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme, ids } = await startWorld({ acme: [['alice', { name: 'Alice' }], 'bob'] })));
afterAll(() => server.close());

describe('POST /login.json', () => {
  it('upgrades an application session to a user session without changing its token', async () => {
    const token = await openSession(http, acme, clock);
    const session = withSession(http, token);
    expect((await session.post('/data/Movie.json', { json: { title: 'Heat' } })).body).toEqual(needUser);

    const answer = await session.post('/login.json', { form: { login: 'alice', password: 'alice-password' } });
    expect(answer.status).toBe(200);
    expect(answer.body.user).toMatchObject({ id: ids.alice, login: 'alice', email: 'alice@users.example', full_name: 'Alice' });

    const shown = await session.get('/session.json');
    expect(shown.body.session).toMatchObject({ token, user_id: ids.alice });
    expect((await session.post('/data/Movie.json', { json: { title: 'Heat' } })).status).toBe(201);
    const row = await server.deps.db('tokens').where({ id: shown.body.session.id }).first();
    expect(row).toMatchObject({ principal_kind: 'appUser', ceiling: 'write', subject_id: ids.alice });
  });

  it('signs in by email, and from a JSON body', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.post('/login.json', { json: { email: 'alice@users.example', password: 'alice-password' } });
    expect(answer.status).toBe(200);
    expect(answer.body.user.id).toBe(ids.alice);
  });

  it('switches the user of a user session', async () => {
    const session = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
    expect((await session.post('/login.json', { form: { login: 'bob', password: 'bob-password' } })).status).toBe(200);
    expect((await session.get('/session.json')).body.session.user_id).toBe(ids.bob);
  });

  it('answers 401 {"errors":["Unauthorized"]} to a wrong password and leaves the session as it was', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.post('/login.json', { form: { login: 'alice', password: 'wrong-password' } });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ errors: ['Unauthorized'] });
    expect((await session.get('/session.json')).body.session.user_id).toBe(0);
  });

  it('answers 422 without a login or email, or with a provider it does not support', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const none = await session.post('/login.json', { form: { password: 'alice-password' } });
    expect(none.status).toBe(422);
    expect(none.body).toEqual({ errors: { base: ['login or email is required'] } });
    const social = await session.post('/login.json', { form: { provider: 'facebook', password: 'x' } });
    expect(social.body).toEqual({ errors: { provider: ['is not supported'] } });
  });

  it('answers 401 without a session', async () => {
    const answer = await http.post('/login.json', { form: { login: 'alice', password: 'alice-password' } });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ errors: ['Token is required'] });
  });
});
