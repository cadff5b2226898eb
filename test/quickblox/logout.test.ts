import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needUser, openSession, wireText, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, clock, acme } = {} as World;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => ({ server, http, clock, acme } = await startWorld({ users: { acme: ['alice'] }, appSessionAccess: 'read-all' })));
afterAll(() => server.close());

const movies = { params: { path: { className: 'Movie' } } };

describe('DELETE /login.json', () => {
  it('downgrades the session to an application session, same token, 200 with an empty body', async () => {
    const token = await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } });
    const session = withSession(http, token);
    expect((await session.POST('/data/{className}.json', { ...movies, body: { title: 'Alien' } })).response.status).toBe(201);

    const answer = await session.DELETE('/login.json');
    expect(answer.response.status).toBe(200);
    expect(wireText(answer.response)).toBe('');

    expect((await session.GET('/session.json')).data?.session).toMatchObject({ token, user_id: 0 });
    const write = await session.POST('/data/{className}.json', { ...movies, body: { title: 'Aliens' } });
    expect(write.response.status).toBe(422);
    expect(write.error).toEqual(needUser);
    expect((await session.GET('/data/{className}.json', movies)).response.status).toBe(200);
  });

  it('leaves an application session as it is', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    expect((await session.DELETE('/login.json')).response.status).toBe(200);
    expect((await session.GET('/session.json')).data?.session.user_id).toBe(0);
  });
});
