import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, tessera } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, clock, acme, globex, ids, asAdmin } = {} as World;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => {
  ({ server, http, clock, acme, globex, ids, asAdmin } = await startWorld({ users: { acme: ['bob'] }, appSessionAccess: 'read-all' }));
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

  it("lets no user claim another's external id, by any route: QuickBlox answers 422, Usergrid 409, and nothing changes", async () => {
    const bob = withSession(http, await openSession(http, acme, clock, { user: { login: 'bob', password: 'bob-password' } }));
    const claim = await bob.PUT('/users/{id}.json', { params: { path: { id: ids.bob! } }, body: { user: { external_user_id: 7001 } } });
    expect(claim.response.status).toBe(422);
    expect(claim.error).toEqual({ errors: { external_user_id: ['has already been taken'] } });
    const signUp = await withSession(http, await openSession(http, acme, clock)).POST('/users.json', { body: { user: { login: 'mallory', password: 'mallory-password', external_user_id: 7001 } } });
    expect(signUp.response.status).toBe(422);
    // The Usergrid routes keep it among a user's free-form properties; as a number or as the very
    // string a lookup compares, it is the same id.
    const bobToken = ok(await tessera(http.baseUrl).POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username: 'bob', password: 'bob-password' } })).access_token;
    for (const externalId of [7001, '7001']) {
      const usergridClaim = await tessera(http.baseUrl, bobToken).PUT('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: 'me' } }, body: { external_user_id: externalId } });
      expect(usergridClaim.response.status, String(externalId)).toBe(409);
      expect(usergridClaim.error).toMatchObject({ error: 'duplicate_unique_property_exists' });
    }
    const created = await asAdmin.POST('/{org}/{app}/users', { params: { path: acmeApp }, body: { username: 'mallory2', password: 'mallory-password', external_user_id: 7001 } });
    expect(created.response.status).toBe(409);
    // Alice still answers to it, bob does not hold it.
    const session = withSession(http, await openSession(http, acme, clock));
    expect((await session.GET('/users/by_external_user_id/{id}.json', byExternalId(7001))).data?.user.login).toBe('alice');
    expect((await session.GET('/users/{id}.json', { params: { path: { id: ids.bob! } } })).data?.user.external_user_id).not.toBe(7001);
  });

  it('takes no boolean for an external id: true is not 1, false is not 0, on either engine', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const uno = ok(await session.POST('/users.json', { body: { user: { login: 'uno', password: 'uno-password', external_user_id: 1 } } })).user;
    const bobToken = ok(await tessera(http.baseUrl).POST('/{org}/{app}/token', { params: { path: acmeApp }, body: { grant_type: 'password', username: 'bob', password: 'bob-password' } })).access_token;
    // Kept as the property it is each time: no external id, so nobody's.
    const setOwn = async (value: boolean) =>
      (await tessera(http.baseUrl, bobToken).PUT('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: 'me' } }, body: { external_user_id: value } })).response.status;
    expect(await setOwn(true)).toBe(200);
    expect((await session.GET('/users/by_external_user_id/{id}.json', byExternalId(1))).data?.user.id).toBe(uno.id);
    expect(await setOwn(false)).toBe(200);
    expect((await session.GET('/users/by_external_user_id/{id}.json', byExternalId(0))).response.status).toBe(404);
    expect((await session.POST('/users.json', { body: { user: { login: 'zero', password: 'zero-password', external_user_id: 0 } } })).response.status).toBe(201);
  });

  it('gives a new external id to one of several sign-ups asking for it at once', async () => {
    const signUps = await Promise.all(
      [1, 2, 3, 4, 5].map(async (n) =>
        withSession(http, await openSession(http, acme, clock)).POST('/users.json', { body: { user: { login: `racer${n}`, password: 'racer-password', external_user_id: 9100 } } }),
      ),
    );
    expect(signUps.map((answer) => answer.response.status).sort()).toEqual([201, 422, 422, 422, 422]);
    for (const refused of signUps.filter((answer) => answer.response.status === 422)) expect(refused.error).toEqual({ errors: { external_user_id: ['has already been taken'] } });
  });

  it('answers neither user for an external id two of them hold from before the check, and lets each write it back unchanged', async () => {
    // As a database written before writes checked it may hold.
    await server.deps.db('app_users').insert({
      ...(await server.deps.db('app_users').first().where({ id: ids.bob! })),
      id: undefined, uuid: '00000000-0000-4000-8000-000000007003', username: 'carla', email: null, properties: JSON.stringify({ external_user_id: 7003 }),
    });
    await server.deps.db('app_users').where({ id: ids.bob! }).update({ properties: JSON.stringify({ external_user_id: 7003 }) });
    const session = withSession(http, await openSession(http, acme, clock));
    expect((await session.GET('/users/by_external_user_id/{id}.json', byExternalId(7003))).response.status).toBe(404);
    expect((await session.GET('/users/external/{id}.json', byExternalId(7003))).response.status).toBe(404);
    const bob = withSession(http, await openSession(http, acme, clock, { user: { login: 'bob', password: 'bob-password' } }));
    expect((await bob.PUT('/users/{id}.json', { params: { path: { id: ids.bob! } }, body: { user: { external_user_id: 7003, full_name: 'Bob' } } })).response.status).toBe(200);
  });

  it('answers 422 to an external id past 2^53 sent as a string, rather than store another number', async () => {
    const token = await openSession(http, acme, clock, { user: { login: 'bob', password: 'bob-password' } });
    const answer = await http.put(`/users/${ids.bob}.json`, { headers: { 'QB-Token': token }, json: { user: { external_user_id: '12345678901234567890' } } });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors)).toEqual(['user.external_user_id']);
  });

  it('answers 422 to an external id that is not a number', async () => {
    // An id the spec types as an integer: the untyped client.
    const answer = await http.get('/users/by_external_user_id/seven.json', { headers: { 'QB-Token': await openSession(http, acme, clock) } });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors)).toEqual(['id']);
  });
});
