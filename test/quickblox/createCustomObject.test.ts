import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needUser, openSession, type QuickBloxWorld, startWorld, withSession } from './support.js';

let { server, http, clock, acme, ids } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme, ids } = await startWorld({ acme: ['alice'] })));
afterAll(() => server.close());

const asAlice = async () => withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));

describe('POST /data/{className}.json', () => {
  it('creates a custom object: 201 with _id, user_id of its creator, Unix times and its fields', async () => {
    const answer = await (await asAlice()).post('/data/Movie.json', { json: { title: 'Heat', rating: 8.3, tags: ['crime'] } });
    expect(answer.status).toBe(201);
    const seconds = Math.floor(clock.now() / 1000);
    expect(answer.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f-]{36}$/), _parent_id: null, user_id: ids.alice, created_at: seconds, updated_at: seconds,
      title: 'Heat', rating: 8.3, tags: ['crime'],
    });
  });

  it('stores it as an entity of the class in lower case, seen through /{org}/{app}/movie', async () => {
    const created = await (await asAlice()).post('/data/Movie.json', { form: { title: 'Ronin' } });
    const usergrid = await http.get(`/acme/app/movie/${created.body._id}`, { token: acme.admin.token });
    expect(usergrid.status).toBe(200);
    expect(usergrid.body.entities[0]).toMatchObject({ uuid: created.body._id, type: 'movie', title: 'Ronin', user_id: ids.alice });
  });

  it('ignores the fields the server sets, and keeps name an ordinary field (two movies may share a title)', async () => {
    const session = await asAlice();
    const forged = await session.post('/data/Movie.json', { json: { _id: 'mine', user_id: 1, created_at: 0, permissions: { read: { access: 'open' } }, name: 'Twin' } });
    expect(forged.body).toMatchObject({ user_id: ids.alice, name: 'Twin' });
    expect(forged.body._id).not.toBe('mine');
    expect(forged.body).not.toHaveProperty('permissions');
    expect((await session.post('/data/Movie.json', { json: { name: 'Twin' } })).status).toBe(201);
  });

  it('answers 422 "Forbidden. Need user." to an application session', async () => {
    const answer = await withSession(http, await openSession(http, acme, clock)).post('/data/Movie.json', { json: { title: 'Heat' } });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual(needUser);
  });

  it('answers 404 for a class name with a meaning of its own', async () => {
    const answer = await (await asAlice()).post('/data/Roles.json', { json: { title: 'x' } });
    expect(answer.status).toBe(404);
    expect(answer.body.errors.base[0]).toMatch(/^No class Roles/);
  });
});
