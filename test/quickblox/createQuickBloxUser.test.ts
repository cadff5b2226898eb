import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, type QuickBloxWorld, startWorld, withSession } from './support.js';

let { server, http, clock, acme } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme } = await startWorld({ acme: ['alice'] })));
afterAll(() => server.close());

describe('POST /users.json (sign-up)', () => {
  it('is the one write an application session may do: 201 with the user, who can then sign in', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.post('/users.json', {
      form: { 'user[login]': 'carol', 'user[password]': 'carol-password', 'user[email]': 'carol@example.com', 'user[full_name]': 'Carol', 'user[tag_list]': 'a,b', 'user[phone]': '+100' },
    });
    expect(answer.status).toBe(201);
    expect(answer.body.user).toMatchObject({ login: 'carol', email: 'carol@example.com', full_name: 'Carol', user_tags: 'a,b', phone: '+100', custom_data: null });
    expect((await session.post('/login.json', { form: { login: 'carol', password: 'carol-password' } })).status).toBe(200);
  });

  it('makes an application user like any other, seen through /{org}/{app}/users', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    await session.post('/users.json', { json: { user: { login: 'dave', password: 'dave-password', full_name: 'Dave' } } });
    const usergrid = await http.get('/acme/app/users/dave', { token: acme.admin.token });
    expect(usergrid.status).toBe(200);
    expect(usergrid.body.entities[0]).toMatchObject({ username: 'dave', name: 'Dave' });
  });

  it('signs a user up by email alone, known by their email', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answer = await session.post('/users.json', { json: { user: { email: 'erin@example.com', password: 'erin-password' } } });
    expect(answer.status).toBe(201);
    expect(answer.body.user).toMatchObject({ login: 'erin@example.com', email: 'erin@example.com' });
  });

  it('answers 422 {"errors":{"login":["has already been taken"]}} for a login or email in use', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const login = await session.post('/users.json', { json: { user: { login: 'alice', password: 'another-password' } } });
    expect(login.status).toBe(422);
    expect(login.body).toEqual({ errors: { login: ['has already been taken'] } });
    const email = await session.post('/users.json', { json: { user: { login: 'alice2', email: 'alice@users.example', password: 'another-password' } } });
    expect(email.body).toEqual({ errors: { email: ['has already been taken'] } });
  });

  it('answers 422 to a short password, no login or email, or a reserved login', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const short = await session.post('/users.json', { json: { user: { login: 'frank', password: 'short' } } });
    expect(short.status).toBe(422);
    expect(Object.keys(short.body.errors)).toEqual(['user.password']);
    const anonymous = await session.post('/users.json', { json: { user: { password: 'long-enough-password' } } });
    expect(anonymous.body).toEqual({ errors: { base: ['login or email is required'] } });
    const me = await session.post('/users.json', { json: { user: { login: 'me', password: 'long-enough-password' } } });
    expect(me.body).toEqual({ errors: { login: ['is reserved'] } });
  });
});
