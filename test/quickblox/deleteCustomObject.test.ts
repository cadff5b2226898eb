import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needUser, openSession, type QuickBloxWorld, startWorld, withSession } from './support.js';

let { server, http, clock, acme } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme } = await startWorld({ acme: ['alice', 'bob'] })));
afterAll(() => server.close());

const as = async (login: string) => withSession(http, await openSession(http, acme, clock, { user: { login, password: `${login}-password` } }));

describe('DELETE /data/{className}/{id}.json', () => {
  it('lets the creator delete it: 200 with an empty body, and it is gone', async () => {
    const alice = await as('alice');
    const created = (await alice.post('/data/Movie.json', { json: { title: 'Heat' } })).body;
    const answer = await alice.delete(`/data/Movie/${created._id}.json`);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect((await alice.get(`/data/Movie/${created._id}.json`)).status).toBe(404);
    expect((await alice.delete(`/data/Movie/${created._id}.json`)).status).toBe(404);
  });

  it('answers 403 to another user and 422 to an application session, and keeps the object', async () => {
    const created = (await (await as('alice')).post('/data/Movie.json', { json: { title: 'Heat' } })).body;
    const bob = await (await as('bob')).delete(`/data/Movie/${created._id}.json`);
    expect(bob.status).toBe(403);
    const app = await withSession(http, await openSession(http, acme, clock)).delete(`/data/Movie/${created._id}.json`);
    expect(app.status).toBe(422);
    expect(app.body).toEqual(needUser);
    expect((await (await as('alice')).get(`/data/Movie/${created._id}.json`)).status).toBe(200);
  });
});
