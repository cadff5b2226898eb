import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { openSession } from '../helpers/quickblox.js';
import { ManualClock, startTestServer, type TestServer } from '../helpers/server.js';
import { createUser } from '../helpers/users.js';
import { client, type Client } from '../helpers/http.js';

/**
 * Finding 8: a JSON body nested some 4,100 levels deep overflowed the stack when stored (a 500),
 * or was stored and broke every reader. Depth is bounded at the door, for every family's JSON routes.
 */

let server: TestServer;
let http: Client;
let acme: OrganizationFixture;
let userSession: string;
const clock = new ManualClock();

/** `{"a":{"a":…{"a":1}…}}`, `levels` objects deep, written as text (JSON.stringify would recurse). */
const nestedObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
/** The same with arrays, inside a field: `{"list":[[[…]]]}`. */
const nestedArray = (levels: number) => `{"list":${'['.repeat(levels)}${']'.repeat(levels)}}`;

async function countEntities(): Promise<number> {
  const [row] = await server.deps.db('entities').count({ n: '*' });
  return Number(row?.n);
}

beforeAll(async () => {
  server = await startTestServer({ clock });
  http = client(server.url);
  acme = await createOrganization(server.url, 'acme');
  await createUser(server.url, acme, 'neo');
  userSession = await openSession(server.url, acme, clock, { user: { login: 'neo', password: 'neo-password' } });
});
afterAll(() => server.close());

describe('the nesting depth of request bodies', () => {
  const json = (body: string) => ({ raw: { body, type: 'application/json' } });

  it('answers 400 in Usergrid shape to an entity nested 5,000 levels deep, and stores nothing', async () => {
    for (const body of [nestedObject(5000), nestedArray(5000)]) {
      const answer = await http.post('/acme/sandbox/cats', json(body));
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'invalid_request', error_description: 'The request body is nested deeper than 32 levels', timestamp: expect.any(Number), duration: expect.any(Number) });
    }
    expect(await countEntities()).toBe(0);
    expect((await http.get('/healthz')).status).toBe(200);
  });

  it('answers 400 in QuickBlox shape to a custom object nested 5,000 levels deep, and stores nothing', async () => {
    for (const body of [nestedObject(5000), nestedArray(5000)]) {
      const answer = await http.post('/data/Movie.json', { headers: { 'QB-Token': userSession }, ...json(body) });
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ errors: { base: ['The request body is nested deeper than 32 levels'] } });
    }
    expect(await countEntities()).toBe(0);
  });

  it('answers 400 in OAuth shape to a token request nested 5,000 levels deep', async () => {
    const answer = await http.post('/oauth/token', json(nestedObject(5000)));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: 'invalid_request', error_description: 'The request body is nested deeper than 32 levels' });
  });

  it('refuses one level past the bound on updates too, and keeps the entity as it was', async () => {
    const created = await http.post('/acme/sandbox/cats', { json: { name: 'tom', color: 'grey' } });
    expect(created.status).toBe(200);
    const answer = await http.put('/acme/sandbox/cats/tom', json(`{"toy":${nestedObject(32)}}`));
    expect(answer.status).toBe(400);
    expect((await http.get('/acme/sandbox/cats/tom')).body.entities[0]).not.toHaveProperty('toy');
  });

  it('accepts a body exactly at the bound, and reads it back whole', async () => {
    const answer = await http.post('/acme/sandbox/boxes', json(`{"name":"deep","inner":${nestedObject(31)}}`));
    expect(answer.status).toBe(200);
    let inner = (await http.get('/acme/sandbox/boxes/deep')).body.entities[0].inner;
    for (let level = 0; level < 30; level += 1) inner = inner.a;
    expect(inner).toEqual({ a: 1 });
  });

  it('keeps form bodies and query strings shallow too: bracket keys nest no deeper than the parser allows', async () => {
    const key = `user${'[a]'.repeat(5000)}`;
    const form = await http.post('/session.json', { raw: { body: `${encodeURIComponent(key)}=1`, type: 'application/x-www-form-urlencoded' } });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    const query = await http.get(`/acme/sandbox/cats?${encodeURIComponent(`limit${'[a]'.repeat(5000)}`)}=1`);
    expect(query.status).toBeLessThan(500);
    expect((await http.get('/healthz')).status).toBe(200);
  });
});

describe('a body of very many values', () => {
  const unknownKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

  it('is refused at the door past 10,000 values, before validation looks at each', async () => {
    const answer = await http.post('/session.json', { json: { application_id: acme.app.applicationId, ...unknownKeys(20_000) } });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).toContain('more than 10000 values');
  });

  it('under the bound, gets an answer that names at most 20 problems, however many there are', async () => {
    const answer = await http.post('/session.json', { json: { application_id: acme.app.applicationId, ...unknownKeys(5_000) } });
    expect(answer.status).toBe(422);
    expect(Object.keys(answer.body.errors).length).toBeLessThanOrEqual(21);
    expect(answer.text.length).toBeLessThan(10_000);
  });
});
