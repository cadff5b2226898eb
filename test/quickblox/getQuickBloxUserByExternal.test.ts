import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, clock, acme, globex } = {} as World;
let aliceId: number;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => {
  ({ server, http, clock, acme, globex } = await startWorld({ appSessionAccess: 'read-all' }));
  const session = withSession(http, await openSession(http, acme, clock));
  aliceId = ok(await session.POST('/users.json', { body: { user: { login: 'alice', password: 'alice-password', external_user_id: 7001 } } })).user.id;
});
afterAll(() => server.close());

const byExternal = (id: number) => ({ params: { path: { id } } });

describe('GET /users/external/{id}.json', () => {
  it('reads a user by external id at the path the SDK uses', async () => {
    const answer = await withSession(http, await openSession(http, acme, clock)).GET('/users/external/{id}.json', byExternal(7001));
    expect(answer.response.status).toBe(200);
    expect(answer.data?.user).toMatchObject({ id: aliceId, login: 'alice', external_user_id: 7001 });
  });

  it("answers 404 for an unknown external id and another application's user, and 422 for one that is not a number", async () => {
    for (const [org, id] of [[acme, 1], [globex, 7001]] as const) {
      const answer = await withSession(http, await openSession(http, org, clock)).GET('/users/external/{id}.json', byExternal(id));
      expect(answer.response.status).toBe(404);
      expect(answer.error).toEqual({ errors: { base: ["Couldn't find user"] } });
    }
    // An id the spec types as an integer: the untyped client.
    const answer = await http.get('/users/external/seven.json', { headers: { 'QB-Token': await openSession(http, acme, clock) } });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors)).toEqual(['id']);
  });
});
