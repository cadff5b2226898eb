import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needUser, openSession, type QuickBloxWorld, startWorld, withSession } from './support.js';

let { server, http, clock, acme, ids } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme, ids } = await startWorld({ acme: ['alice', 'bob'] })));
afterAll(() => server.close());

const as = async (login: string) => withSession(http, await openSession(http, acme, clock, { user: { login, password: `${login}-password` } }));

describe('PUT /data/{className}/{id}.json', () => {
  it('lets the creator change fields; the others, and the creator, are kept', async () => {
    const alice = await as('alice');
    const created = (await alice.post('/data/Movie.json', { json: { title: 'Heat', rating: 8 } })).body;
    clock.advance(5000);
    const answer = await alice.put(`/data/Movie/${created._id}.json`, { json: { rating: 9, user_id: 12345 } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ _id: created._id, title: 'Heat', rating: 9, user_id: ids.alice, created_at: created.created_at, updated_at: created.created_at + 5 });
  });

  it('answers 403 to another user', async () => {
    const created = (await (await as('alice')).post('/data/Movie.json', { json: { title: 'Heat' } })).body;
    const answer = await (await as('bob')).put(`/data/Movie/${created._id}.json`, { json: { title: 'Mine now' } });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ errors: { base: ["You don't have appropriate permissions to perform this operation"] } });
  });

  it('answers 403 to any user for an object made through /{org}/{app}, which has no creator', async () => {
    const made = await http.post('/acme/app/movie', { token: acme.admin.token, json: { title: 'Dune' } });
    const answer = await (await as('alice')).put(`/data/Movie/${made.body.entities[0].uuid}.json`, { json: { title: 'x' } });
    expect(answer.status).toBe(403);
  });

  it('answers 422 "Forbidden. Need user." to an application session, and 404 for an unknown object', async () => {
    const created = (await (await as('alice')).post('/data/Movie.json', { json: { title: 'Heat' } })).body;
    const app = withSession(http, await openSession(http, acme, clock));
    const refused = await app.put(`/data/Movie/${created._id}.json`, { json: { title: 'x' } });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual(needUser);
    expect((await (await as('alice')).put('/data/Movie/no-such-object.json', { json: { title: 'x' } })).status).toBe(404);
  });
});
