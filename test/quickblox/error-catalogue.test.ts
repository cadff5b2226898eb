import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm } from '../helpers/api.js';
import { openSession, postSession, sessionRequest, wireText, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type World } from '../helpers/world.js';

const clock = new ManualClock();
let { server, http, api, acme } = {} as World;
beforeAll(async () => ({ server, http, api, acme } = await startWorld({ clock, users: { acme: ['alice'] } })));
afterAll(() => server.close());

/**
 * Every row provokes its error with a request the spec allows, so all go through the typed client;
 * the rows compare the bytes of the answer, which `wireText` keeps.
 */
type Provoked = Promise<{ response: Response }>;
const appSession = async () => withSession(http, await openSession(http, acme, clock));

/** Reference §8, row by row: the situation, what provokes it, and QuickBlox's exact status and body. */
const catalogue: [string, () => Provoked, number, unknown][] = [
  ['an unknown token', () => withSession(http, 'c56f382b402fb482086db956064592d3cd012bba').GET('/users.json'), 401, { errors: { base: ['Required session does not exist'] } }],
  ['an expired token', async () => {
    const session = await appSession();
    clock.advance(7200_000);
    return session.GET('/users.json');
  }, 401, { errors: { base: ['Required session does not exist'] } }],
  ['a destroyed token', async () => {
    const session = await appSession();
    await session.DELETE('/session.json');
    return session.GET('/users.json');
  }, 401, { errors: { base: ['Required session does not exist'] } }],
  ['no QB-Token header', () => api().GET('/users.json'), 401, { errors: ['Token is required'] }],
  ['wrong user credentials when creating a session', () => postSession(api(), sessionRequest(acme, clock, { user: { login: 'alice', password: 'wrong' } })), 401, { errors: ['Unauthorized'] }],
  ['wrong user credentials when logging in', async () => (await appSession()).POST('/login.json', { body: { login: 'alice', password: 'wrong' }, ...asForm }), 401, { errors: ['Unauthorized'] }],
  ['a bad signature', () => postSession(api(), { ...sessionRequest(acme, clock), signature: 'a'.repeat(40) }), 422, { errors: { base: ['Unexpected signature'] } }],
  ['a wrong auth_key', () => postSession(api(), sessionRequest({ ...acme, app: { ...acme.app, authKey: 'wrong-key' } }, clock)), 422, { errors: { base: ['Unexpected signature'] } }],
  ['an unknown application', () => postSession(api(), sessionRequest({ ...acme, app: { ...acme.app, applicationId: 424242 } }, clock)), 422, { errors: { base: ['No application found'] } }],
  ['a bad timestamp', () => postSession(api(), sessionRequest(acme, clock, { timestamp: Math.floor(clock.now() / 1000) - 3601 })), 422, { errors: { base: ['Bad timestamp'] } }],
  ['an application session writing', async () => (await appSession()).POST('/data/{className}.json', { params: { path: { className: 'Note' } }, body: { text: 'hi' } }), 422, { errors: { base: ['Forbidden. Need user.'] } }],
  ['a sign-up that breaks a rule', async () => (await appSession()).POST('/users.json', { body: { user: { login: 'alice', password: 'long-enough' } } }), 422, { errors: { login: ['has already been taken'] } }],
];

describe('the QuickBlox error catalogue (reference §8)', () => {
  it.each(catalogue)('answers %s exactly as QuickBlox does', async (_situation, provoke, status, body) => {
    const { response } = await provoke();
    expect(response.status).toBe(status);
    expect(wireText(response)).toBe(JSON.stringify(body));
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});
