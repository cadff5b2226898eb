import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm } from '../helpers/api.js';
import { asQuickBloxForm, openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, api, clock, acme } = {} as World;
beforeAll(async () => ({ server, http, api, clock, acme } = await startWorld({ users: { acme: ['alice'] } })));
afterAll(() => server.close());

describe('POST /users.json (sign-up)', () => {
  it('is the one write an application session may do: 201 with the user, who can then sign in', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.POST('/users.json', {
      body: { user: { login: 'carol', password: 'carol-password', email: 'carol@example.com', full_name: 'Carol', tag_list: 'a,b', phone: '+100' } },
      ...asQuickBloxForm,
    });
    expect(answer.response.status).toBe(201);
    expect(answer.data?.user).toMatchObject({ login: 'carol', email: 'carol@example.com', full_name: 'Carol', user_tags: 'a,b', phone: '+100', custom_data: null });
    expect((await session.POST('/login.json', { body: { login: 'carol', password: 'carol-password' }, ...asForm })).response.status).toBe(200);
  });

  it('takes external_user_id as a number or a numeric string, in JSON as in a form', async () => {
    const token = await openSession(http, acme, clock);
    // A string where the spec says integer, as QuickBlox clients send it: the untyped client.
    const json = await http.post('/users.json', { headers: { 'QB-Token': token }, json: { user: { login: 'erin', password: 'erin-password', external_user_id: '7001' } } });
    expect(json.status).toBe(201);
    expect(json.body.user.external_user_id).toBe(7001);
    const form = await http.post('/users.json', { headers: { 'QB-Token': token }, form: { 'user[login]': 'frank', 'user[password]': 'frank-password', 'user[external_user_id]': '7002' } });
    expect(form.status).toBe(201);
    expect(form.body.user.external_user_id).toBe(7002);
    // JSON's own types stay: only a numeric string becomes a number (a null is not 0, nor true 1).
    for (const externalId of ['seven', null, true, '7 001']) {
      const refused = await http.post('/users.json', { headers: { 'QB-Token': token }, json: { user: { login: 'gina', password: 'gina-password', external_user_id: externalId } } });
      expect(refused.status, String(externalId)).toBe(422);
      expect(Object.keys(refused.body.errors)).toEqual(['user.external_user_id']);
    }
  });

  it('makes an application user like any other, seen through /{org}/{app}/users', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    await session.POST('/users.json', { body: { user: { login: 'dave', password: 'dave-password', full_name: 'Dave' } } });
    const usergrid = await api(acme.admin.token).GET('/{org}/{app}/users/{user}', { params: { path: { org: 'acme', app: 'app', user: 'dave' } } });
    expect(usergrid.response.status).toBe(200);
    expect(usergrid.data?.entities[0]).toMatchObject({ username: 'dave', name: 'Dave' });
  });

  it('signs a user up by email alone, with a login made from it that is not an email (nor a pattern)', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.POST('/users.json', { body: { user: { email: 'erin@example.com', password: 'erin-password' } } });
    expect(answer.response.status).toBe(201);
    expect(answer.data?.user).toMatchObject({ email: 'erin@example.com' });
    expect(answer.data?.user.login).toMatch(/^erin-[0-9a-f]{8}$/);
    const starred = await session.POST('/users.json', { body: { user: { email: '*@example.com', password: 'star-password' } } });
    expect(starred.response.status).toBe(201);
    expect(starred.data?.user.login).toMatch(/^user-[0-9a-f]{8}$/);
  });

  it('answers 422 {"errors":{"login":["has already been taken"]}} for a login or email in use', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const login = await session.POST('/users.json', { body: { user: { login: 'alice', password: 'another-password' } } });
    expect(login.response.status).toBe(422);
    expect(login.error).toEqual({ errors: { login: ['has already been taken'] } });
    const email = await session.POST('/users.json', { body: { user: { login: 'alice2', email: 'alice@users.example', password: 'another-password' } } });
    expect(email.error).toEqual({ errors: { email: ['has already been taken'] } });
  });

  it('answers 422 to a short password, no login or email, or a reserved login', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    // The spec's minLength, which the types cannot carry: a typed call the server refuses.
    const short = await session.POST('/users.json', { body: { user: { login: 'frank', password: 'short' } } });
    expect(short.response.status).toBe(422);
    expect(Object.keys(short.error?.errors ?? {})).toEqual(['user.password']);
    const anonymous = await session.POST('/users.json', { body: { user: { password: 'long-enough-password' } } });
    expect(anonymous.error).toEqual({ errors: { base: ['login or email is required'] } });
    const me = await session.POST('/users.json', { body: { user: { login: 'me', password: 'long-enough-password' } } });
    expect(me.error).toEqual({ errors: { login: ["is reserved: 'me' names the signed-in user"] } });
  });
});
