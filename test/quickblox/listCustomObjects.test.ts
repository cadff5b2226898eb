import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type QuickBloxWorld, startWorld, withSession } from './support.js';

let { server, http, clock, acme, globex } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme, globex } = await startWorld({ acme: ['alice'] })));
beforeAll(async () => {
  const alice = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
  for (const title of ['Alien', 'Brazil', 'Casablanca']) await alice.post('/data/Movie.json', { json: { title } });
  // One made through the Usergrid routes, with a unique name: no creator.
  await http.post('/acme/app/movie', { token: acme.admin.token, json: { name: 'dune', title: 'Dune' } });
});
afterAll(() => server.close());

const titles = (answer: { body: { items: { title: string }[] } }) => answer.body.items.map((item) => item.title);

describe('GET /data/{className}.json', () => {
  it("lists a class's objects, oldest first, to an application session", async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.get('/data/Movie.json');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ class_name: 'Movie', skip: 0, limit: 100 });
    expect(titles(answer)).toEqual(['Alien', 'Brazil', 'Casablanca', 'Dune']);
    expect(answer.body.items[3]).toMatchObject({ name: 'dune', user_id: 0 });
  });

  it('pages with skip and limit', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.get('/data/Movie.json?skip=1&limit=2');
    expect(answer.body).toMatchObject({ skip: 1, limit: 2 });
    expect(titles(answer)).toEqual(['Brazil', 'Casablanca']);
  });

  it('lists nothing for a class with no objects yet, and nothing of another application', async () => {
    expect((await withSession(http, await openSession(http, acme, clock)).get('/data/Book.json')).body.items).toEqual([]);
    expect((await withSession(http, await openSession(http, globex, clock)).get('/data/Movie.json')).body.items).toEqual([]);
  });

  it('answers 422 to filters it does not support', async () => {
    const answer = await withSession(http, await openSession(http, acme, clock)).get('/data/Movie.json?rating[gt]=5');
    expect(answer.status).toBe(422);
  });
});
