import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, clock, acme, ids } = {} as World;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => ({ server, http, clock, acme, ids } = await startWorld({ users: { acme: ['alice'], globex: ['gary'] }, appSessionAccess: 'read-all' })));
afterAll(() => server.close());

const byEmail = (email: string) => ({ params: { query: { email } } });

describe('GET /users/by_email.json', () => {
  it('reads a user by email, in any case', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    for (const email of ['alice@users.example', 'Alice@USERS.example']) {
      const answer = await session.GET('/users/by_email.json', byEmail(email));
      expect(answer.response.status).toBe(200);
      expect(answer.data?.user).toMatchObject({ id: ids.alice, email: 'alice@users.example' });
    }
  });

  it("answers 404 for an unknown email, another application's user, and a login given as an email", async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    for (const email of ['nobody@users.example', 'gary@users.example', 'alice']) {
      const answer = await session.GET('/users/by_email.json', byEmail(email));
      expect(answer.response.status).toBe(404);
      expect(answer.error).toEqual({ errors: { base: ["Couldn't find user"] } });
    }
  });

  it('answers 422 without an email', async () => {
    // A required parameter left out: the untyped client.
    const missing = await http.get('/users/by_email.json', { headers: { 'QB-Token': await openSession(http, acme, clock) } });
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ errors: { email: ['is required'] } });
  });
});
