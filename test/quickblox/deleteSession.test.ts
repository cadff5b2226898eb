import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type QuickBloxWorld, sessionNotFound, startWorld, withSession } from './support.js';

let { server, http, clock, acme } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme } = await startWorld({ acme: ['alice'] })));
afterAll(() => server.close());

describe('DELETE /session.json', () => {
  it('answers 200 with an empty body, never 204', async () => {
    const token = await openSession(http, acme, clock);
    const answer = await withSession(http, token).delete('/session.json');
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
  });

  it('kills the session at once, although it was cached a moment ago', async () => {
    for (const user of [undefined, { login: 'alice', password: 'alice-password' }]) {
      const session = withSession(http, await openSession(http, acme, clock, { user }));
      expect((await session.get('/session.json')).status).toBe(200);
      expect((await session.delete('/session.json')).status).toBe(200);
      for (const answer of [await session.get('/session.json'), await session.get('/users.json'), await session.delete('/session.json')]) {
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual(sessionNotFound);
      }
    }
  });

  it('is allowed to an application session, which otherwise only reads', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    expect((await session.delete('/session.json')).status).toBe(200);
  });
});
