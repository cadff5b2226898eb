import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { messages, openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let movieId: string;

let { server, http, clock, acme, globex } = {} as World;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => ({ server, http, clock, acme, globex } = await startWorld({ users: { acme: ['alice'] }, appSessionAccess: 'read-all' })));
beforeAll(async () => {
  const alice = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
  movieId = ok(await alice.POST('/data/{className}.json', { params: { path: { className: 'Movie' } }, body: { title: 'Heat' } }))._id;
});
afterAll(() => server.close());

const object = (className: string, id: string) => ({ params: { path: { className, id } } });

describe('GET /data/{className}/{id}.json', () => {
  it('reads an object by _id, as a list of one', async () => {
    const answer = await withSession(http, await openSession(http, acme, clock)).GET('/data/{className}/{id}.json', object('Movie', movieId));
    expect(answer.response.status).toBe(200);
    expect(answer.data).toMatchObject({ class_name: 'Movie', items: [{ _id: movieId, title: 'Heat' }] });
  });

  it('answers 404 for an unknown _id, another class, or another application', async () => {
    const missing = await withSession(http, await openSession(http, acme, clock)).GET('/data/{className}/{id}.json', object('Movie', 'no-such-object'));
    expect(missing.response.status).toBe(404);
    expect(messages(missing.error)).toHaveLength(1);
    expect((await withSession(http, await openSession(http, acme, clock)).GET('/data/{className}/{id}.json', object('Book', movieId))).response.status).toBe(404);
    expect((await withSession(http, await openSession(http, globex, clock)).GET('/data/{className}/{id}.json', object('Movie', movieId))).response.status).toBe(404);
  });
});
