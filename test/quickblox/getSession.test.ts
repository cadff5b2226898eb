import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedExpirationDate, openSession, type QuickBloxWorld, sessionForm, sessionNotFound, startWorld, withSession } from './support.js';

let { server, http, clock, acme, ids } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme, ids } = await startWorld({ acme: ['alice'] })));
afterAll(() => server.close());

describe('GET /session.json', () => {
  it('shows the session the QB-Token names, as POST /session.json created it', async () => {
    const created = await http.post('/session.json', { form: sessionForm(acme, clock) });
    const token = created.body.session.token;
    const shown = await withSession(http, token).get('/session.json');
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(created.body);
    expect(shown.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + 7200_000));
  });

  it("shows a user session's user", async () => {
    const token = await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } });
    expect((await withSession(http, token).get('/session.json')).body.session.user_id).toBe(ids.alice);
  });

  it('answers 401 {"errors":["Token is required"]} without a QB-Token', async () => {
    const answer = await http.get('/session.json');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ errors: ['Token is required'] });
  });

  it('answers 401 "Required session does not exist" to a token it never issued, or an access token', async () => {
    const accessToken = acme.admin.token;
    for (const token of ['c56f382b402fb482086db956064592d3cd012bba', accessToken]) {
      const answer = await withSession(http, token).get('/session.json');
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(sessionNotFound);
      expect(answer.headers.get('qb-token-expirationdate')).toBeNull();
    }
  });

  it('does not take a session token as a bearer token', async () => {
    const token = await openSession(http, acme, clock);
    expect((await http.get('/acme/app/users', { token })).status).toBe(401);
  });
});
