import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { must, needUser, openSession, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let { server, http, api, acme, ids } = {} as World;
beforeAll(async () => ({ server, http, api, acme, ids } = await startWorld({ clock, users: { acme: ['alice', 'bob'] } })));
afterAll(() => server.close());

const as = async (login: string) => withSession(http, await openSession(http, acme, clock, { user: { login, password: `${login}-password` } }));
const movies = { params: { path: { className: 'Movie' } } };
const movie = (id: string) => ({ params: { path: { className: 'Movie', id } } });

describe('PUT /data/{className}/{id}.json', () => {
  it('lets the creator change fields; the others, and the creator, are kept', async () => {
    const alice = await as('alice');
    const created = ok(await alice.POST('/data/{className}.json', { ...movies, body: { title: 'Heat', rating: 8 } }));
    clock.advance(5000);
    const answer = await alice.PUT('/data/{className}/{id}.json', { ...movie(created._id), body: { rating: 9, user_id: 12345 } });
    expect(answer.response.status).toBe(200);
    expect(answer.data).toMatchObject({ _id: created._id, title: 'Heat', rating: 9, user_id: ids.alice, created_at: created.created_at, updated_at: created.created_at + 5 });
  });

  it('answers 403 to another user', async () => {
    const created = ok(await (await as('alice')).POST('/data/{className}.json', { ...movies, body: { title: 'Heat' } }));
    const answer = await (await as('bob')).PUT('/data/{className}/{id}.json', { ...movie(created._id), body: { title: 'Mine now' } });
    expect(answer.response.status).toBe(403);
    expect(answer.error).toEqual({ errors: { base: ["You don't have appropriate permissions to perform this operation"] } });
  });

  it('leaves an object made through /{org}/{app}, which has no creator, to path permissions, as on that route', async () => {
    const made = await api(acme.admin.token).POST('/{org}/{app}/{collection}', { params: { path: { org: 'acme', app: 'app', collection: 'movie' } }, body: { title: 'Dune' } });
    const uuid = must(ok(made).entities[0], 'entity made').uuid;
    // alice has the default role (`/**`): the same answer as PUT /{org}/{app}/movie/{uuid} gives her.
    const answer = await (await as('alice')).PUT('/data/{className}/{id}.json', { ...movie(uuid), body: { title: 'x' } });
    expect(answer.response.status).toBe(200);
  });

  it('answers 422 {"errors":{"name":["has already been taken"]}} when an object named through /{org}/{app} is renamed to a name in use', async () => {
    const named = async (name: string) => {
      const made = await api(acme.admin.token).POST('/{org}/{app}/{collection}', { params: { path: { org: 'acme', app: 'app', collection: 'movie' } }, body: { name } });
      return must(ok(made).entities[0], 'entity made').uuid;
    };
    await named('heat');
    const ronin = await named('ronin');
    const answer = await (await as('alice')).PUT('/data/{className}/{id}.json', { ...movie(ronin), body: { name: 'heat' } });
    expect(answer.response.status).toBe(422);
    expect(answer.error).toEqual({ errors: { name: ['has already been taken'] } });
  });

  it('answers 422 "Forbidden. Need user." to an application session, and 404 for an unknown object', async () => {
    const created = ok(await (await as('alice')).POST('/data/{className}.json', { ...movies, body: { title: 'Heat' } }));
    const app = withSession(http, await openSession(http, acme, clock));
    const refused = await app.PUT('/data/{className}/{id}.json', { ...movie(created._id), body: { title: 'x' } });
    expect(refused.response.status).toBe(422);
    expect(refused.error).toEqual(needUser);
    expect((await (await as('alice')).PUT('/data/{className}/{id}.json', { ...movie('no-such-object'), body: { title: 'x' } })).response.status).toBe(404);
  });
});
