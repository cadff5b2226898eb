import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../helpers/http.js';
import { openSession, type QuickBloxWorld, sessionForm, startWorld, withSession } from './support.js';

let { server, http, clock, acme } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme } = await startWorld({ acme: ['alice'] })));
afterAll(() => server.close());

/** Reference §8, row by row: the situation, what provokes it, and QuickBlox's exact status and body. */
const catalogue: [string, () => Promise<Answer>, number, unknown][] = [
  ['an unknown token', () => withSession(http, 'c56f382b402fb482086db956064592d3cd012bba').get('/users.json'), 401, { errors: { base: ['Required session does not exist'] } }],
  ['an expired token', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    clock.advance(7200_000);
    return session.get('/users.json');
  }, 401, { errors: { base: ['Required session does not exist'] } }],
  ['a destroyed token', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    await session.delete('/session.json');
    return session.get('/users.json');
  }, 401, { errors: { base: ['Required session does not exist'] } }],
  ['no QB-Token header', () => http.get('/users.json'), 401, { errors: ['Token is required'] }],
  ['wrong user credentials when creating a session', () => http.post('/session.json', { form: sessionForm(acme, clock, { user: { login: 'alice', password: 'wrong' } }) }), 401, { errors: ['Unauthorized'] }],
  ['wrong user credentials when logging in', async () => withSession(http, await openSession(http, acme, clock)).post('/login.json', { form: { login: 'alice', password: 'wrong' } }), 401, { errors: ['Unauthorized'] }],
  ['a bad signature', () => http.post('/session.json', { form: { ...sessionForm(acme, clock), signature: 'a'.repeat(40) } }), 422, { errors: { base: ['Unexpected signature'] } }],
  ['a wrong auth_key', () => http.post('/session.json', { form: sessionForm({ ...acme, app: { ...acme.app, authKey: 'wrong-key' } }, clock) }), 422, { errors: { base: ['Unexpected signature'] } }],
  ['an unknown application', () => http.post('/session.json', { form: sessionForm({ ...acme, app: { ...acme.app, applicationId: 424242 } }, clock) }), 422, { errors: { base: ['No application found'] } }],
  ['a bad timestamp', () => http.post('/session.json', { form: sessionForm(acme, clock, { timestamp: Math.floor(clock.now() / 1000) - 3601 }) }), 422, { errors: { base: ['Bad timestamp'] } }],
  ['an application session writing', async () => withSession(http, await openSession(http, acme, clock)).post('/data/Note.json', { json: { text: 'hi' } }), 422, { errors: { base: ['Forbidden. Need user.'] } }],
  ['a sign-up that breaks a rule', async () => withSession(http, await openSession(http, acme, clock)).post('/users.json', { json: { user: { login: 'alice', password: 'long-enough' } } }), 422, { errors: { login: ['has already been taken'] } }],
];

describe('the QuickBlox error catalogue (reference §8)', () => {
  it.each(catalogue)('answers %s exactly as QuickBlox does', async (_situation, provoke, status, body) => {
    const answer = await provoke();
    expect(answer.status).toBe(status);
    expect(answer.text).toBe(JSON.stringify(body));
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});
