import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm, ok } from '../helpers/api.js';
import { messages, needUser, openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, api, clock, acme, ids } = {} as World;
beforeAll(async () => ({ server, http, api, clock, acme, ids } = await startWorld({ users: { acme: ['alice'] } })));
afterAll(() => server.close());

const asAlice = async () => withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
const movies = { params: { path: { className: 'Movie' } } };

describe('POST /data/{className}.json', () => {
  it('creates a custom object: 201 with _id, user_id of its creator, Unix times and its fields', async () => {
    const answer = await (await asAlice()).POST('/data/{className}.json', { ...movies, body: { title: 'Heat', rating: 8.3, tags: ['crime'] } });
    expect(answer.response.status).toBe(201);
    const seconds = Math.floor(clock.now() / 1000);
    expect(answer.data).toEqual({
      _id: expect.stringMatching(/^[0-9a-f-]{36}$/), _parent_id: null, user_id: ids.alice, created_at: seconds, updated_at: seconds,
      title: 'Heat', rating: 8.3, tags: ['crime'],
    });
  });

  it('stores it as an entity of the class in lower case, seen through /{org}/{app}/movie', async () => {
    const created = ok(await (await asAlice()).POST('/data/{className}.json', { ...movies, body: { title: 'Ronin' }, ...asForm }));
    const usergrid = await api(acme.admin.token).GET('/{org}/{app}/{collection}/{entity}', {
      params: { path: { org: 'acme', app: 'app', collection: 'movie', entity: created._id } },
    });
    expect(usergrid.response.status).toBe(200);
    expect(usergrid.data?.entities[0]).toMatchObject({ uuid: created._id, type: 'movie', title: 'Ronin' });
    // The creator is the server's record, not a property a client could rewrite on either route.
    expect(usergrid.data?.entities[0]).not.toHaveProperty('user_id');
  });

  it('ignores the fields the server sets, and keeps name an ordinary field (two movies may share a title)', async () => {
    const session = await asAlice();
    const forged = ok(await session.POST('/data/{className}.json', {
      ...movies,
      body: { _id: 'mine', user_id: 1, created_at: 0, permissions: { read: { access: 'open' } }, name: 'Twin' },
    }));
    expect(forged).toMatchObject({ user_id: ids.alice, name: 'Twin' });
    expect(forged._id).not.toBe('mine');
    expect(forged).not.toHaveProperty('permissions');
    expect((await session.POST('/data/{className}.json', { ...movies, body: { name: 'Twin' } })).response.status).toBe(201);
  });

  it('answers 422 "Forbidden. Need user." to an application session', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.POST('/data/{className}.json', { ...movies, body: { title: 'Heat' } });
    expect(answer.response.status).toBe(422);
    expect(answer.error).toEqual(needUser);
  });

  it('answers 404 for a class name with a meaning of its own', async () => {
    const answer = await (await asAlice()).POST('/data/{className}.json', { params: { path: { className: 'Roles' } }, body: { title: 'x' } });
    expect(answer.response.status).toBe(404);
    expect(messages(answer.error)?.[0]).toMatch(/^No class Roles/);
  });
});
