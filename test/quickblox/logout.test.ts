import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needUser, openSession, type QuickBloxWorld, startWorld, withSession } from './support.js';

let { server, http, clock, acme } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme } = await startWorld({ acme: ['alice'] })));
afterAll(() => server.close());

describe('DELETE /login.json', () => {
  it('downgrades the session to an application session, same token, 200 with an empty body', async () => {
    const token = await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } });
    const session = withSession(http, token);
    expect((await session.post('/data/Movie.json', { json: { title: 'Alien' } })).status).toBe(201);

    const answer = await session.delete('/login.json');
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');

    expect((await session.get('/session.json')).body.session).toMatchObject({ token, user_id: 0 });
    const write = await session.post('/data/Movie.json', { json: { title: 'Aliens' } });
    expect(write.status).toBe(422);
    expect(write.body).toEqual(needUser);
    expect((await session.get('/data/Movie.json')).status).toBe(200);
  });

  it('leaves an application session as it is', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    expect((await session.delete('/login.json')).status).toBe(200);
    expect((await session.get('/session.json')).body.session.user_id).toBe(0);
  });
});
