import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, api, clock, acme, globex } = {} as World;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => ({ server, http, api, clock, acme, globex } = await startWorld({ users: { acme: ['alice'] }, appSessionAccess: 'read-all' })));
beforeAll(async () => {
  const alice = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
  for (const title of ['Alien', 'Brazil', 'Casablanca']) await alice.POST('/data/{className}.json', { params: { path: { className: 'Movie' } }, body: { title } });
  // One made through the Usergrid routes, with a unique name: no creator.
  await api(acme.admin.token).POST('/{org}/{app}/{collection}', { params: { path: { org: 'acme', app: 'app', collection: 'movie' } }, body: { name: 'dune', title: 'Dune' } });
});
afterAll(() => server.close());

const titles = (list?: components['schemas']['QuickBloxCustomObjectList']) => list?.items.map((item) => item.title);
const movies = (query: { skip?: number; limit?: number } = {}) => ({ params: { path: { className: 'Movie' }, query } });

describe('GET /data/{className}.json', () => {
  it("lists a class's objects, oldest first, to an application session", async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.GET('/data/{className}.json', movies());
    expect(answer.response.status).toBe(200);
    expect(answer.data).toMatchObject({ class_name: 'Movie', skip: 0, limit: 100 });
    expect(titles(answer.data)).toEqual(['Alien', 'Brazil', 'Casablanca', 'Dune']);
    expect(answer.data?.items[3]).toMatchObject({ name: 'dune', user_id: 0 });
  });

  it('pages with skip and limit', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.GET('/data/{className}.json', movies({ skip: 1, limit: 2 }));
    expect(answer.data).toMatchObject({ skip: 1, limit: 2 });
    expect(titles(answer.data)).toEqual(['Brazil', 'Casablanca']);
  });

  it('lists nothing for a class with no objects yet, and nothing of another application', async () => {
    const books = await withSession(http, await openSession(http, acme, clock)).GET('/data/{className}.json', { params: { path: { className: 'Book' } } });
    expect(books.data?.items).toEqual([]);
    expect((await withSession(http, await openSession(http, globex, clock)).GET('/data/{className}.json', movies())).data?.items).toEqual([]);
  });

  it('answers 422 to filters it does not support', async () => {
    // `rating[gt]` is no parameter of the spec: the untyped client.
    const answer = await http.get('/data/Movie.json?rating[gt]=5', { headers: { 'QB-Token': await openSession(http, acme, clock) } });
    expect(answer.status).toBe(422);
  });
});
