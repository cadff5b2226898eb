import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type QuickBloxWorld, startWorld, withSession } from './support.js';

let movieId: string;

let { server, http, clock, acme, globex } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme, globex } = await startWorld({ acme: ['alice'] })));
beforeAll(async () => {
  const alice = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
  movieId = (await alice.post('/data/Movie.json', { json: { title: 'Heat' } })).body._id;
});
afterAll(() => server.close());

describe('GET /data/{className}/{id}.json', () => {
  it('reads an object by _id, as a list of one', async () => {
    const answer = await withSession(http, await openSession(http, acme, clock)).get(`/data/Movie/${movieId}.json`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ class_name: 'Movie', items: [{ _id: movieId, title: 'Heat' }] });
  });

  it('answers 404 for an unknown _id, another class, or another application', async () => {
    const missing = await withSession(http, await openSession(http, acme, clock)).get('/data/Movie/no-such-object.json');
    expect(missing.status).toBe(404);
    expect(missing.body.errors.base).toHaveLength(1);
    expect((await withSession(http, await openSession(http, acme, clock)).get(`/data/Book/${movieId}.json`)).status).toBe(404);
    expect((await withSession(http, await openSession(http, globex, clock)).get(`/data/Movie/${movieId}.json`)).status).toBe(404);
  });
});
