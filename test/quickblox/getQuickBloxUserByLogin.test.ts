import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, clock, acme, ids } = {} as World;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => ({ server, http, clock, acme, ids } = await startWorld({ users: { acme: [{ username: 'alice', name: 'Alice' }], globex: ['gary'] }, appSessionAccess: 'read-all' })));
afterAll(() => server.close());

const byLogin = (login: string) => ({ params: { query: { login } } });
const notFound = { errors: { base: ["Couldn't find user"] } };

describe('GET /users/by_login.json', () => {
  it('reads a user by login, in any case', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    for (const login of ['alice', 'ALICE']) {
      const answer = await session.GET('/users/by_login.json', byLogin(login));
      expect(answer.response.status).toBe(200);
      expect(answer.data?.user).toMatchObject({ id: ids.alice, login: 'alice', full_name: 'Alice' });
    }
  });

  it("answers 404 for an unknown login, another application's user, and an email or uuid given as a login", async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    for (const login of ['nobody', 'gary', 'alice@users.example', '3f1c2a4e-8d7b-4a36-9a57-0c1e2d3f4a5b']) {
      const answer = await session.GET('/users/by_login.json', byLogin(login));
      expect(answer.response.status).toBe(404);
      expect(answer.error).toEqual(notFound);
    }
  });

  it('answers 422 without a login, and 401 without a session', async () => {
    // A required parameter left out: the untyped client.
    const missing = await http.get('/users/by_login.json', { headers: { 'QB-Token': await openSession(http, acme, clock) } });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ errors: { login: ['is required'] } });
    expect((await http.get('/users/by_login.json?login=alice')).status).toBe(401);
  });
});
