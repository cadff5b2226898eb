import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { expectedExpirationDate, openSession, postSession, sessionNotFound, sessionRequest, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, api, clock, acme, ids } = {} as World;
beforeAll(async () => ({ server, http, api, clock, acme, ids } = await startWorld({ users: { acme: ['alice'] } })));
afterAll(() => server.close());

describe('GET /session.json', () => {
  it('shows the session the QB-Token names, as POST /session.json created it', async () => {
    const created = ok(await postSession(api(), sessionRequest(acme, clock)));
    const shown = await withSession(http, created.session.token).GET('/session.json');
    expect(shown.response.status).toBe(200);
    expect(shown.data).toEqual(created);
    expect(shown.response.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + 7200_000));
  });

  it("shows a user session's user", async () => {
    const token = await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } });
    expect((await withSession(http, token).GET('/session.json')).data?.session.user_id).toBe(ids.alice);
  });

  it('answers 401 {"errors":["Token is required"]} without a QB-Token', async () => {
    const answer = await api().GET('/session.json');
    expect(answer.response.status).toBe(401);
    expect(answer.error).toEqual({ errors: ['Token is required'] });
  });

  it('answers 401 "Required session does not exist" to a token it never issued, or an access token', async () => {
    const accessToken = acme.admin.token;
    for (const token of ['c56f382b402fb482086db956064592d3cd012bba', accessToken]) {
      const answer = await withSession(http, token).GET('/session.json');
      expect(answer.response.status).toBe(401);
      expect(answer.error).toEqual(sessionNotFound);
      expect(answer.response.headers.get('qb-token-expirationdate')).toBeNull();
    }
  });

  it('does not take a session token as a bearer token', async () => {
    const token = await openSession(http, acme, clock);
    expect((await api(token).GET('/{org}/{app}/users', { params: { path: { org: 'acme', app: 'app' } } })).response.status).toBe(401);
  });
});
