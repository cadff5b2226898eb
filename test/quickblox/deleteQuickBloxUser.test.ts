import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must, needUser, openSession, sessionAnswers, sessionNotFound, wireText, withSession } from '../helpers/quickblox.js';
import { signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, api, clock, acme, ids } = {} as World;
beforeAll(async () => ({ server, http, api, clock, acme, ids } = await startWorld({ users: { acme: ['alice', 'bob', 'carol'] } })));
afterAll(() => server.close());

const user = (id: number) => ({ params: { path: { id } } });
const as = async (login: string) => openSession(http, acme, clock, { user: { login, password: `${login}-password` } });

describe('DELETE /users/{id}.json', () => {
  it('deletes your own user: 200 with an empty body, and every session and token of theirs ends', async () => {
    const token = await as('alice');
    const other = await as('alice');
    const usergrid = await signIn(http, acme, 'alice');
    const answer = await withSession(http, token).DELETE('/users/{id}.json', user(must(ids.alice, 'id of alice')));
    expect(answer.response.status).toBe(200);
    expect(wireText(answer.response)).toBe('');
    expect(await sessionAnswers(http, [token, other])).toEqual([{ status: 401, error: sessionNotFound }, { status: 401, error: sessionNotFound }]);
    expect((await api(usergrid).GET('/{org}/{app}/users/{user}', { params: { path: { org: 'acme', app: 'app', user: 'me' } } })).response.status).toBe(401);
    const reader = withSession(http, await as('bob'));
    expect((await reader.GET('/users/{id}.json', user(ids.alice!))).response.status).toBe(404);
    expect((await reader.GET('/users/by_login.json', { params: { query: { login: 'alice' } } })).response.status).toBe(404);
  });

  it("answers 403 on another user's record, and leaves it", async () => {
    const answer = await withSession(http, await as('bob')).DELETE('/users/{id}.json', user(must(ids.carol, 'id of carol')));
    expect(answer.response.status).toBe(403);
    expect(answer.error).toEqual({ errors: { base: ["You don't have appropriate permissions to perform this operation"] } });
    expect((await withSession(http, await as('carol')).GET('/session.json')).response.status).toBe(200);
  });

  it('answers an application session 422 "Forbidden. Need user." and a dead one 401', async () => {
    const app = await withSession(http, await openSession(http, acme, clock)).DELETE('/users/{id}.json', user(must(ids.carol, 'id of carol')));
    expect(app.response.status).toBe(422);
    expect(app.error).toEqual(needUser);
    const dead = await withSession(http, 'c56f382b402fb482086db956064592d3cd012bba').DELETE('/users/{id}.json', user(ids.carol!));
    expect(dead.response.status).toBe(401);
  });
});
