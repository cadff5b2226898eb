import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../helpers/http.js';
import { createOrganization } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let http: Client;
let token: string;
const cats = '/acme/app/cats';

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  token = (await createOrganization(http, 'acme')).admin.token;
});
afterAll(() => server.close());

describe('createEntity', () => {
  it('stores any JSON object and answers with uuid, type, name, created and modified', async () => {
    const answer = await http.post(cats, { token, json: { name: 'tom', color: 'grey', lives: 9, toys: ['ball'], owner: { name: 'x' } } });
    expect(answer.status).toBe(200);
    const [cat] = answer.body.entities;
    expect(cat).toMatchObject({ type: 'cats', name: 'tom', color: 'grey', lives: 9, toys: ['ball'], owner: { name: 'x' } });
    expect(cat.created).toBe(cat.modified);
    expect(answer.body.uri).toBe(`${server.url}/acme/app/cats`);
  });

  it('sets uuid, type, created and modified itself, whatever the client sends', async () => {
    const answer = await http.post(cats, { token, json: { uuid: 'mine', type: 'dogs', created: 1, color: 'black' } });
    const [cat] = answer.body.entities;
    expect(cat.type).toBe('cats');
    expect(cat.uuid).not.toBe('mine');
    expect(cat.created).not.toBe(1);
  });

  it('answers 409 for a name already taken in the collection, but not in another collection', async () => {
    expect((await http.post(cats, { token, json: { name: 'tom' } })).status).toBe(409);
    expect((await http.post('/acme/app/mice', { token, json: { name: 'tom' } })).status).toBe(200);
  });

  it('refuses a body that is not a JSON object, malformed JSON and a reserved collection name', async () => {
    expect((await http.post(cats, { token, json: [1, 2] })).status).toBe(400);
    const malformed = await http.post(cats, { token, raw: { body: '{"name": ', type: 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error_description).toBe('The request body is not valid JSON');
    expect((await http.post('/acme/app/credentials', { token, json: { name: 'x' } })).status).toBe(400);
    expect((await http.post('/acme/app/Bad.Name', { token, json: { name: 'x' } })).status).toBe(400);
  });
});

describe('getEntity', () => {
  it('finds an entity by name and by uuid', async () => {
    const byName = await http.get(`${cats}/tom`, { token });
    expect(byName.status).toBe(200);
    const uuid = byName.body.entities[0].uuid;
    expect((await http.get(`${cats}/${uuid}`, { token })).body.entities[0].name).toBe('tom');
    expect((await http.get(`${cats}/nobody`, { token })).status).toBe(404);
  });
});

describe('updateEntity', () => {
  it('replaces the properties sent and keeps the others', async () => {
    const answer = await http.put(`${cats}/tom`, { token, json: { color: 'black', age: 3 } });
    expect(answer.body.entities[0]).toMatchObject({ name: 'tom', color: 'black', lives: 9, age: 3 });
    expect(answer.body.entities[0].modified).toBeGreaterThanOrEqual(answer.body.entities[0].created);
  });

  it('can rename, but not onto a taken name', async () => {
    await http.post(cats, { token, json: { name: 'felix' } });
    expect((await http.put(`${cats}/felix`, { token, json: { name: 'tom' } })).status).toBe(409);
    expect((await http.get(`${cats}/felix`, { token })).status).toBe(200);
  });
});

describe('deleteEntity', () => {
  it('deletes an entity, which is then gone', async () => {
    expect((await http.delete(`${cats}/felix`, { token })).status).toBe(200);
    expect((await http.get(`${cats}/felix`, { token })).status).toBe(404);
  });
});

describe('listEntities', () => {
  it('pages a collection oldest first', async () => {
    const all = await http.get(`${cats}?limit=100`, { token });
    expect(all.body.entities.map((e: { name?: string }) => e.name)).toEqual(['tom', undefined]);
    const empty = await http.get('/acme/app/birds', { token });
    expect(empty.body).toMatchObject({ entities: [], count: 0 });
  });
});
