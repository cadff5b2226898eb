import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicVerbatim } from '../helpers/credentials.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { openSession } from '../helpers/quickblox.js';
import { ManualClock, startTestServer, type TestServer } from '../helpers/server.js';
import { client, type Answer, type Client } from '../helpers/http.js';

/**
 * Finding 1: on PostgreSQL a NUL byte anywhere a request's text reached a query (a path segment,
 * `client_id` in a query or a form, a username, an entity's name) made the driver fail, and an
 * anonymous caller got a 500 and a stack trace in the log. An unpaired UTF-16 surrogate is written
 * as U+FFFD by both drivers, so two names the caller sent as different met on one row. Such text is
 * refused at the door, with a 400 in the family's shape, before anything reads the request.
 */

let server: TestServer;
let http: Client;
let acme: OrganizationFixture;
let userSession: string;
const clock = new ManualClock();

beforeAll(async () => {
  server = await startTestServer({ clock });
  http = client(server.url);
  acme = await createOrganization(server.url, 'acme');
  userSession = await openSession(server.url, acme, clock);
});
afterAll(() => server.close());

/** Everything stored but the audit log and the tokens (sign-ins above issue some), as one text. */
async function storedData(): Promise<string> {
  const db = server.deps.db;
  const parts = await Promise.all(['entities', 'app_users', 'organizations', 'applications', 'application_storage'].map(async (t) => JSON.stringify(await db(t).select().orderBy(1))));
  return parts.join('\n');
}

const refusal = (part: string) => `The request ${part} holds a NUL character or an unpaired UTF-16 surrogate, which cannot be stored`;

function expectUsergrid(answer: Answer, part: string): void {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.body).toEqual({ error: 'invalid_request', error_description: refusal(part), timestamp: expect.any(Number), duration: expect.any(Number) });
}
function expectOAuth(answer: Answer, part: string): void {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.body).toEqual({ error: 'invalid_request', error_description: refusal(part) });
}
function expectQuickBlox(answer: Answer, part: string): void {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.body).toEqual({ errors: { base: [refusal(part)] } });
}

describe('text the database cannot hold', () => {
  it('answers an anonymous NUL in a Usergrid path, query or body with 400 in Usergrid shape, and stores nothing', async () => {
    const before = await storedData();
    expectUsergrid(await http.get('/acme/sandbox/cats/a%00b'), 'path');
    expectUsergrid(await http.get('/ac%00me/sandbox/cats'), 'path');
    expectUsergrid(await http.get('/acme/sandbox/cats?client_id=a%00&client_secret=b'), 'query');
    expectUsergrid(await http.get('/acme/sandbox/cats?a%00=b'), 'query');
    expectUsergrid(await http.post('/acme/sandbox/cats', { json: { name: 'a\u0000b' } }), 'body');
    expectUsergrid(await http.post('/acme/sandbox/cats', { json: { 'fur\u0000': 'grey' } }), 'body');
    expectUsergrid(await http.post('/acme/sandbox/cats', { json: { name: 'tom', toys: [{ kind: 'ball\u0000' }] } }), 'body');
    expectUsergrid(await http.post('/acme/sandbox/users', { json: { username: 'neo', password: 'neo-password', bio: '\u0000' } }), 'body');
    expectUsergrid(await http.post('/management/token', { json: { grant_type: 'password', username: 'a\u0000', password: 'x' } }), 'body');
    expectUsergrid(await http.post('/acme/app/token', { json: { grant_type: 'password', username: 'a\u0000', password: 'x' } }), 'body');
    expectUsergrid(await http.post('/management/token', { form: { grant_type: 'client_credentials', client_id: 'a\u0000', client_secret: 'b' } }), 'body');
    expect(await storedData()).toBe(before);
  });

  it('answers a NUL sent to OAuth in a query or a form with 400 in OAuth shape', async () => {
    expectOAuth(await http.get('/oauth/authorize?client_id=a%00b&response_type=code'), 'query');
    expectOAuth(await http.post('/oauth/token', { form: { grant_type: 'client_credentials', client_id: 'a\u0000', client_secret: 'b' } }), 'body');
    expectOAuth(await http.post('/oauth/token', { form: { 'grant\u0000': 'x' } }), 'body');
    expectOAuth(await http.get('/oauth/authorize?client_id=a&response_type=code&state=%00'), 'query');
  });

  it('answers a NUL sent to QuickBlox in a form, JSON or path with 400 in QuickBlox shape, and stores nothing', async () => {
    const before = await storedData();
    const form = 'application_id=1&auth_key=a%00&nonce=1&timestamp=1&signature=x';
    expectQuickBlox(await http.post('/session.json', { raw: { body: form, type: 'application/x-www-form-urlencoded' } }), 'body');
    expectQuickBlox(await http.post('/session.json', { raw: { body: 'user%5Blogin%5D=a%00&application_id=1', type: 'application/x-www-form-urlencoded' } }), 'body');
    const headers = { 'QB-Token': userSession };
    expectQuickBlox(await http.post('/users.json', { headers, json: { user: { login: 'trinity\u0000', password: 'trinity-password' } } }), 'body');
    expectQuickBlox(await http.post('/data/Movie.json', { headers, json: { title: 'a\u0000' } }), 'body');
    expectQuickBlox(await http.get('/data/Mo%00vie.json', { headers }), 'path');
    expectQuickBlox(await http.get('/users.json?page=1%00', { headers }), 'query');
    expect(await storedData()).toBe(before);
  });

  it('refuses an unpaired surrogate in JSON (it would be stored as U+FFFD, where another name already is), and keeps paired ones', async () => {
    expect((await http.post('/acme/sandbox/cats', { json: { name: 'a\ufffd' } })).status).toBe(200);
    for (const name of ['a\ud800', 'a\udc00', '\udfffa', 'x\ud83d']) {
      expectUsergrid(await http.post('/acme/sandbox/cats', { json: { name } }), 'body');
      expectUsergrid(await http.post('/acme/sandbox/cats', { json: { [name]: 1 } }), 'body');
    }
    expectOAuth(await http.post('/oauth/token', { json: { grant_type: 'password', username: 'a\ud800', password: 'x' } }), 'body');
    expectQuickBlox(await http.post('/data/Movie.json', { headers: { 'QB-Token': userSession }, json: { title: '\udc00' } }), 'body');
    const cats = (await http.get('/acme/sandbox/cats')).body.entities as { name: string }[];
    expect(cats.map((cat) => cat.name)).toEqual(['a\ufffd']);
    // A character outside the BMP is a surrogate pair: well-formed, stored and read back as sent.
    expect((await http.post('/acme/sandbox/cats', { json: { name: 'kitty-😺', note: '𝄞' } })).status).toBe(200);
    expect((await http.get(`/acme/sandbox/cats/${encodeURIComponent('kitty-😺')}`)).body.entities[0]).toMatchObject({ name: 'kitty-😺', note: '𝄞' });
  });

  it('keeps `%00` written as text (`%2500`) and characters the database holds', async () => {
    expect((await http.post('/acme/sandbox/dogs', { json: { name: 'percent-%00', note: 'tab\there, é, \u0001' } })).status).toBe(200);
    expect((await http.get('/acme/sandbox/dogs/percent-%2500')).body.entities[0]).toMatchObject({ name: 'percent-%00', note: 'tab\there, é, \u0001' });
    expect((await http.get('/healthz')).status).toBe(200);
  });
});

describe('values decoded after the door, and values out of a column’s range', () => {
  it('answers a NUL in a client id decoded from Authorization: Basic with 400, on each token endpoint', async () => {
    for (const path of [`/acme/${acme.app.name}/token`, '/management/token']) {
      const answer = await http.post(path, { form: { grant_type: 'client_credentials' }, headers: { authorization: basicVerbatim('YXA6%00', 'x') } });
      expect(answer.status, `${path} ${answer.text}`).toBe(400);
    }
    const oauth = await http.post('/oauth/token', { form: { grant_type: 'client_credentials' }, headers: { authorization: basicVerbatim('oc_%00', 'x') } });
    expect(oauth.status, oauth.text).toBe(400);
  });

  it('answers a cursor past any id this server can issue with 400, not a database error', async () => {
    const cursor = Buffer.from('id:2147483648').toString('base64url');
    const answer = await http.get(`/acme/sandbox/things?cursor=${cursor}`);
    expect(answer.status, answer.text).toBe(400);
  });

  it('answers a body that is not what its Content-Encoding says with 400', async () => {
    const answer = await http.post('/acme/sandbox/things', { raw: { body: 'not gzip at all', type: 'application/json' }, headers: { 'content-encoding': 'gzip' } });
    expect(answer.status, answer.text).toBe(400);
  });

  it('answers an API token id past the integer range with a 4xx, not a database error', async () => {
    const answer = await http.delete(`/management/orgs/acme/apps/${acme.app.name}/api-tokens/2147483648`, { headers: { authorization: `Bearer ${acme.admin.token}` } });
    expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
    expect(answer.status, answer.text).toBeLessThan(500);
  });
});
