import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, clock, acme, globex, ids } = {} as World;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => {
  ({ server, http, clock, acme, globex, ids } = await startWorld({ users: { acme: ['bob'] }, appSessionAccess: 'read-all' }));
  // External ids given at sign-up, as a QuickBlox client gives them.
  for (const [org, login, externalId] of [[acme, 'alice', 7001], [globex, 'gary', 7002]] as const) {
    const session = withSession(http, await openSession(http, org, clock));
    ids[login] = ok(await session.POST('/users.json', { body: { user: { login, password: `${login}-password`, external_user_id: externalId } } })).user.id;
  }
});
afterAll(() => server.close());

const byExternalId = (id: number) => ({ params: { path: { id } } });

describe('GET /users/by_external_user_id/{id}.json', () => {
  it('reads a user by the external id given at sign-up, or set later by the user', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const alice = await session.GET('/users/by_external_user_id/{id}.json', byExternalId(7001));
    expect(alice.response.status).toBe(200);
    expect(alice.data?.user).toMatchObject({ id: ids.alice, login: 'alice', external_user_id: 7001 });

    const bob = withSession(http, await openSession(http, acme, clock, { user: { login: 'bob', password: 'bob-password' } }));
    expect((await bob.PUT('/users/{id}.json', { params: { path: { id: ids.bob! } }, body: { user: { external_user_id: 8001 } } })).response.status).toBe(200);
    expect((await session.GET('/users/by_external_user_id/{id}.json', byExternalId(8001))).data?.user.login).toBe('bob');
  });

  it("answers 404 for an unknown external id and another application's user", async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    for (const id of [1, 7002]) {
      const answer = await session.GET('/users/by_external_user_id/{id}.json', byExternalId(id));
      expect(answer.response.status).toBe(404);
      expect(answer.error).toEqual({ errors: { base: ["Couldn't find user"] } });
    }
    const gary = await withSession(http, await openSession(http, globex, clock)).GET('/users/by_external_user_id/{id}.json', byExternalId(7002));
    expect(gary.data?.user.login).toBe('gary');
  });

  it('answers 422 to an external id that is not a number', async () => {
    // An id the spec types as an integer: the untyped client.
    const answer = await http.get('/users/by_external_user_id/seven.json', { headers: { 'QB-Token': await openSession(http, acme, clock) } });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors)).toEqual(['id']);
  });
});
