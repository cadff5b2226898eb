import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, needUser, openSession, type QuickBloxWorld, sessionNotFound, startWorld, withSession } from './support.js';

let { server, http, clock, acme, ids } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme, ids } = await startWorld({ acme: ['alice', 'bob'] })));
afterAll(() => server.close());

const asAlice = async () => withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));

describe('PUT /users/{id}.json', () => {
  it('lets a user change their own record', async () => {
    const session = await asAlice();
    clock.advance(1000);
    const answer = await session.put(`/users/${ids.alice}.json`, { form: { 'user[full_name]': 'Alice Liddell', 'user[website]': 'https://alice.example' } });
    expect(answer.status).toBe(200);
    expect(answer.body.user).toMatchObject({ id: ids.alice, full_name: 'Alice Liddell', website: 'https://alice.example' });
    expect(answer.body.user.updated_at).not.toBe(answer.body.user.created_at);
  });

  it("answers 403 to a user changing another user's record", async () => {
    const answer = await (await asAlice()).put(`/users/${ids.bob}.json`, { json: { user: { full_name: 'Not Bob' } } });
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ errors: { base: ["You don't have appropriate permissions to perform this operation"] } });
  });

  it('answers 422 "Forbidden. Need user." to an application session', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.put(`/users/${ids.alice}.json`, { json: { user: { full_name: 'Nobody' } } });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual(needUser);
  });

  it('needs the old password to set a new one, and the new one ends the user’s sessions', async () => {
    await createUser(http, acme, 'mallory');
    const session = withSession(http, await openSession(http, acme, clock, { user: { login: 'mallory', password: 'mallory-password' } }));
    const id = (await session.get('/session.json')).body.session.user_id;
    const blank = await session.put(`/users/${id}.json`, { json: { user: { password: 'new-mallory-password' } } });
    expect(blank.body).toEqual({ errors: { old_password: ["can't be blank"] } });
    const wrong = await session.put(`/users/${id}.json`, { json: { user: { password: 'new-mallory-password', old_password: 'wrong' } } });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toEqual({ errors: { old_password: ['is incorrect'] } });
    const changed = await session.put(`/users/${id}.json`, { json: { user: { password: 'new-mallory-password', old_password: 'mallory-password' } } });
    expect(changed.status).toBe(200);
    expect((await session.get('/session.json')).body).toEqual(sessionNotFound);
    await openSession(http, acme, clock, { user: { login: 'mallory', password: 'new-mallory-password' } });
  });

  it('answers 422 when the new login is taken', async () => {
    const answer = await (await asAlice()).put(`/users/${ids.alice}.json`, { json: { user: { login: 'bob' } } });
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({ errors: { login: ['has already been taken'] } });
  });
});
