import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm } from '../helpers/api.js';
import { needUser, openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, api, clock, acme, ids } = {} as World;
beforeAll(async () => ({ server, http, api, clock, acme, ids } = await startWorld({ users: { acme: [{ username: 'alice', name: 'Alice' }, 'bob'] } })));
afterAll(() => server.close());

const movies = { params: { path: { className: 'Movie' } } };

describe('POST /login.json', () => {
  it('upgrades an application session to a user session without changing its token', async () => {
    const token = await openSession(http, acme, clock);
    const session = withSession(http, token);
    expect((await session.POST('/data/{className}.json', { ...movies, body: { title: 'Heat' } })).error).toEqual(needUser);

    const answer = await session.POST('/login.json', { body: { login: 'alice', password: 'alice-password' }, ...asForm });
    expect(answer.response.status).toBe(200);
    expect(answer.data?.user).toMatchObject({ id: ids.alice, login: 'alice', email: 'alice@users.example', full_name: 'Alice' });

    const shown = await session.GET('/session.json');
    expect(shown.data?.session).toMatchObject({ token, user_id: ids.alice });
    expect((await session.POST('/data/{className}.json', { ...movies, body: { title: 'Heat' } })).response.status).toBe(201);
    const row = await server.deps.db('tokens').where({ id: shown.data?.session.id }).first();
    expect(row).toMatchObject({ principal_kind: 'appUser', ceiling: 'write', subject_id: ids.alice });
  });

  it('signs in by email, and from a JSON body', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.POST('/login.json', { body: { email: 'alice@users.example', password: 'alice-password' } });
    expect(answer.response.status).toBe(200);
    expect(answer.data?.user.id).toBe(ids.alice);
  });

  it('switches the user of a user session', async () => {
    const session = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
    expect((await session.POST('/login.json', { body: { login: 'bob', password: 'bob-password' }, ...asForm })).response.status).toBe(200);
    expect((await session.GET('/session.json')).data?.session.user_id).toBe(ids.bob);
  });

  it('answers 401 {"errors":["Unauthorized"]} to a wrong password and leaves the session as it was', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.POST('/login.json', { body: { login: 'alice', password: 'wrong-password' }, ...asForm });
    expect(answer.response.status).toBe(401);
    expect(answer.error).toEqual({ errors: ['Unauthorized'] });
    expect((await session.GET('/session.json')).data?.session.user_id).toBe(0);
  });

  it('answers 422 without a login or email, or with a provider it does not support', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const none = await session.POST('/login.json', { body: { password: 'alice-password' }, ...asForm });
    expect(none.response.status).toBe(422);
    expect(none.error).toEqual({ errors: { base: ['login or email is required'] } });
    const social = await session.POST('/login.json', { body: { provider: 'facebook', password: 'x' }, ...asForm });
    expect(social.error).toEqual({ errors: { provider: ['is not supported'] } });
  });

  it('answers 401 without a session', async () => {
    const answer = await api().POST('/login.json', { body: { login: 'alice', password: 'alice-password' }, ...asForm });
    expect(answer.response.status).toBe(401);
    expect(answer.error).toEqual({ errors: ['Token is required'] });
  });
});
