import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, sessionNotFound, wireText, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, clock, acme } = {} as World;
beforeAll(async () => ({ server, http, clock, acme } = await startWorld({ users: { acme: ['alice'] } })));
afterAll(() => server.close());

describe('DELETE /session.json', () => {
  it('answers 200 with an empty body, never 204', async () => {
    const token = await openSession(http, acme, clock);
    const answer = await withSession(http, token).DELETE('/session.json');
    expect(answer.response.status).toBe(200);
    expect(wireText(answer.response)).toBe('');
  });

  it('kills the session at once, although it was cached a moment ago', async () => {
    for (const user of [undefined, { login: 'alice', password: 'alice-password' }]) {
      const session = withSession(http, await openSession(http, acme, clock, { user }));
      expect((await session.GET('/session.json')).response.status).toBe(200);
      expect((await session.DELETE('/session.json')).response.status).toBe(200);
      for (const answer of [await session.GET('/session.json'), await session.GET('/users.json'), await session.DELETE('/session.json')]) {
        expect(answer.response.status).toBe(401);
        expect(answer.error).toEqual(sessionNotFound);
      }
    }
  });

  it('is allowed to an application session, which otherwise only reads', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    expect((await session.DELETE('/session.json')).response.status).toBe(200);
  });
});
