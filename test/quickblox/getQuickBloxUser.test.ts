import type { Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { must, openSession, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let { server, http, acme, ids } = {} as World;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => ({ server, http, acme, ids } = await startWorld({ clock, users: { acme: [{ username: 'alice', name: 'Alice', phone: '+1 555 0100' }], globex: ['gary'] }, appSessionAccess: 'read-all' })));
afterAll(() => server.close());

/** The SDK ends a GET without parameters with a bare `?` (`/users/1.json?`); openapi-fetch writes none. */
const bareQuestionMark: Middleware = { onRequest: ({ request }) => new Request(`${request.url}?`, request) };
const user = (id: number) => ({ params: { path: { id } } });

describe('GET /users/{id}.json', () => {
  it('reads a user by id: login = username, full_name = name, times in ISO 8601 to the second', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.GET('/users/{id}.json', { ...user(must(ids.alice, 'id of alice')), middleware: [bareQuestionMark] });
    expect(answer.response.status).toBe(200);
    const iso = new Date(clock.now()).toISOString().replace('.000Z', 'Z');
    expect(answer.data?.user).toEqual({
      id: ids.alice, login: 'alice', email: 'alice@users.example', full_name: 'Alice', phone: '+1 555 0100', website: null,
      created_at: iso, updated_at: iso, last_request_at: null, external_user_id: null, facebook_id: null, blob_id: null, custom_data: null,
      user_tags: null, age_over16: null, allow_statistics_analysis: null, allow_sales_activities: null, parents_contacts: null,
    });
  });

  it("shows last_request_at: the user's last request with any token, written behind with the tokens' last use", async () => {
    const aliceId = must(ids.alice, 'id of alice');
    const alice = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
    clock.advance(5_000);
    expect((await alice.GET('/session.json')).response.status).toBe(200);
    const requestedAt = clock.now();
    // No write per request: the database learns of it when the token store writes behind.
    expect((await server.deps.db('app_users').where({ id: aliceId }).first()).last_request_at).toBeNull();
    await server.deps.tokens.flush();
    clock.advance(5_000);
    const reader = withSession(http, await openSession(http, acme, clock));
    const answer = await reader.GET('/users/{id}.json', user(aliceId));
    expect(answer.data?.user.last_request_at).toBe(new Date(requestedAt).toISOString().replace('.000Z', 'Z'));
  });

  it("answers 404 for an unknown id, and for another application's user", async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    for (const id of [999999, must(ids.gary, 'id of gary')]) {
      const answer = await session.GET('/users/{id}.json', user(id));
      expect(answer.response.status).toBe(404);
      expect(answer.error).toEqual({ errors: { base: ["Couldn't find user"] } });
    }
  });

  it('answers 422 to an id that is not a number', async () => {
    // An id the spec types as an integer: the untyped client.
    const answer = await http.get('/users/alice.json', { headers: { 'QB-Token': await openSession(http, acme, clock) } });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors)).toEqual(['id']);
  });
});
