import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { asQuickBloxForm, must, needUser, openSession, sessionNotFound, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { createUser } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let { server, http, acme, ids } = {} as World;
beforeAll(async () => ({ server, http, acme, ids } = await startWorld({ clock, users: { acme: ['alice', 'bob'] } })));
afterAll(() => server.close());

const asAlice = async () => withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
const user = (id: number | undefined) => ({ params: { path: { id: must(id, 'user id') } } });

describe('PUT /users/{id}.json', () => {
  it('lets a user change their own record', async () => {
    const session = await asAlice();
    clock.advance(1000);
    const answer = await session.PUT('/users/{id}.json', { ...user(ids.alice), body: { user: { full_name: 'Alice Liddell', website: 'https://alice.example' } }, ...asQuickBloxForm });
    expect(answer.response.status).toBe(200);
    expect(answer.data?.user).toMatchObject({ id: ids.alice, full_name: 'Alice Liddell', website: 'https://alice.example' });
    expect(answer.data?.user.updated_at).not.toBe(answer.data?.user.created_at);
  });

  it("answers 403 to a user changing another user's record", async () => {
    const answer = await (await asAlice()).PUT('/users/{id}.json', { ...user(ids.bob), body: { user: { full_name: 'Not Bob' } } });
    expect(answer.response.status).toBe(403);
    expect(answer.error).toEqual({ errors: { base: ["You don't have appropriate permissions to perform this operation"] } });
  });

  it('answers 422 "Forbidden. Need user." to an application session', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.PUT('/users/{id}.json', { ...user(ids.alice), body: { user: { full_name: 'Nobody' } } });
    expect(answer.response.status).toBe(422);
    expect(answer.error).toEqual(needUser);
  });

  it('needs the old password to set a new one, and the new one ends the user’s sessions', async () => {
    await createUser(http, acme, 'mallory');
    const session = withSession(http, await openSession(http, acme, clock, { user: { login: 'mallory', password: 'mallory-password' } }));
    const id = ok(await session.GET('/session.json')).session.user_id;
    const blank = await session.PUT('/users/{id}.json', { ...user(id), body: { user: { password: 'new-mallory-password' } } });
    expect(blank.error).toEqual({ errors: { old_password: ["can't be blank"] } });
    const wrong = await session.PUT('/users/{id}.json', { ...user(id), body: { user: { password: 'new-mallory-password', old_password: 'wrong' } } });
    expect(wrong.response.status).toBe(422);
    expect(wrong.error).toEqual({ errors: { old_password: ['is incorrect'] } });
    const changed = await session.PUT('/users/{id}.json', { ...user(id), body: { user: { password: 'new-mallory-password', old_password: 'mallory-password' } } });
    expect(changed.response.status).toBe(200);
    expect((await session.GET('/session.json')).error).toEqual(sessionNotFound);
    await openSession(http, acme, clock, { user: { login: 'mallory', password: 'new-mallory-password' } });
  });

  it('answers 422 when the new login is taken', async () => {
    const answer = await (await asAlice()).PUT('/users/{id}.json', { ...user(ids.alice), body: { user: { login: 'bob' } } });
    expect(answer.response.status).toBe(422);
    expect(answer.error).toEqual({ errors: { login: ['has already been taken'] } });
  });
});
