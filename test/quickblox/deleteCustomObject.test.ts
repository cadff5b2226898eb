import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { needUser, openSession, wireText, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, clock, acme } = {} as World;
beforeAll(async () => ({ server, http, clock, acme } = await startWorld({ users: { acme: ['alice', 'bob'] } })));
afterAll(() => server.close());

const as = async (login: string) => withSession(http, await openSession(http, acme, clock, { user: { login, password: `${login}-password` } }));
const movies = { params: { path: { className: 'Movie' } } };
const movie = (id: string) => ({ params: { path: { className: 'Movie', id } } });

describe('DELETE /data/{className}/{id}.json', () => {
  it('lets the creator delete it: 200 with an empty body, and it is gone', async () => {
    const alice = await as('alice');
    const created = ok(await alice.POST('/data/{className}.json', { ...movies, body: { title: 'Heat' } }));
    const answer = await alice.DELETE('/data/{className}/{id}.json', movie(created._id));
    expect(answer.response.status).toBe(200);
    expect(wireText(answer.response)).toBe('');
    expect((await alice.GET('/data/{className}/{id}.json', movie(created._id))).response.status).toBe(404);
    expect((await alice.DELETE('/data/{className}/{id}.json', movie(created._id))).response.status).toBe(404);
  });

  it('answers 403 to another user and 422 to an application session, and keeps the object', async () => {
    const created = ok(await (await as('alice')).POST('/data/{className}.json', { ...movies, body: { title: 'Heat' } }));
    const bob = await (await as('bob')).DELETE('/data/{className}/{id}.json', movie(created._id));
    expect(bob.response.status).toBe(403);
    const app = await withSession(http, await openSession(http, acme, clock)).DELETE('/data/{className}/{id}.json', movie(created._id));
    expect(app.response.status).toBe(422);
    expect(app.error).toEqual(needUser);
    expect((await (await as('alice')).GET('/data/{className}/{id}.json', movie(created._id))).response.status).toBe(200);
  });
});
