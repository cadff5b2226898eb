import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, tessera, type Tessera } from '../helpers/api.js';
import { client, type Client } from '../helpers/http.js';
import { createOrganization } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { firstEntity } from './support.js';

let server: TestServer;
/** Untyped, for the bodies the spec forbids on purpose. */
let http: Client;
/** The organization admin's typed client. */
let api: Tessera;
let token: string;
const inApp = (collection: string) => ({ org: 'acme', app: 'app', collection });
const cats = inApp('cats');
const cat = (entity: string) => ({ path: { ...cats, entity } });

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  token = (await createOrganization(server.url, 'acme')).admin.token;
  api = tessera(server.url, token);
});
afterAll(() => server.close());

describe('createEntity', () => {
  it('stores any JSON object and answers with uuid, type, name, created and modified', async () => {
    const answer = await api.POST('/{org}/{app}/{collection}', { params: { path: cats }, body: { name: 'tom', color: 'grey', lives: 9, toys: ['ball'], owner: { name: 'x' } } });
    expect(answer.response.status).toBe(200);
    const tom = firstEntity(answer);
    expect(tom).toMatchObject({ type: 'cats', name: 'tom', color: 'grey', lives: 9, toys: ['ball'], owner: { name: 'x' } });
    expect(tom.created).toBe(tom.modified);
    expect(ok(answer).uri).toBe(`${server.url}/acme/app/cats`);
  });

  it('sets uuid, type, created and modified itself, whatever the client sends', async () => {
    const answer = await api.POST('/{org}/{app}/{collection}', { params: { path: cats }, body: { uuid: 'mine', type: 'dogs', created: 1, color: 'black' } });
    const black = firstEntity(answer);
    expect(black.type).toBe('cats');
    expect(black.uuid).not.toBe('mine');
    expect(black.created).not.toBe(1);
  });

  it('answers 409 for a name already taken in the collection, but not in another collection', async () => {
    expect((await api.POST('/{org}/{app}/{collection}', { params: { path: cats }, body: { name: 'tom' } })).response.status).toBe(409);
    expect((await api.POST('/{org}/{app}/{collection}', { params: { path: inApp('mice') }, body: { name: 'tom' } })).response.status).toBe(200);
  });

  it('refuses a body that is not a JSON object, malformed JSON and a reserved collection name', async () => {
    // An array and broken JSON are what the spec forbids: only the untyped client can send them.
    expect((await http.post('/acme/app/cats', { token, json: [1, 2] })).status).toBe(400);
    const malformed = await http.post('/acme/app/cats', { token, raw: { body: '{"name": ', type: 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error_description).toBe('The request body is not valid JSON');
    expect((await api.POST('/{org}/{app}/{collection}', { params: { path: inApp('credentials') }, body: { name: 'x' } })).response.status).toBe(400);
    expect((await api.POST('/{org}/{app}/{collection}', { params: { path: inApp('Bad.Name') }, body: { name: 'x' } })).response.status).toBe(400);
  });
});

describe('getEntity', () => {
  it('finds an entity by name and by uuid', async () => {
    const byName = await api.GET('/{org}/{app}/{collection}/{entity}', { params: cat('tom') });
    expect(byName.response.status).toBe(200);
    const { uuid } = firstEntity(byName);
    expect(firstEntity(await api.GET('/{org}/{app}/{collection}/{entity}', { params: cat(uuid) })).name).toBe('tom');
    expect((await api.GET('/{org}/{app}/{collection}/{entity}', { params: cat('nobody') })).response.status).toBe(404);
  });
});

describe('updateEntity', () => {
  it('replaces the properties sent and keeps the others', async () => {
    const updated = firstEntity(await api.PUT('/{org}/{app}/{collection}/{entity}', { params: cat('tom'), body: { color: 'black', age: 3 } }));
    expect(updated).toMatchObject({ name: 'tom', color: 'black', lives: 9, age: 3 });
    expect(updated.modified).toBeGreaterThanOrEqual(updated.created);
  });

  it('can rename, but not onto a taken name', async () => {
    await api.POST('/{org}/{app}/{collection}', { params: { path: cats }, body: { name: 'felix' } });
    expect((await api.PUT('/{org}/{app}/{collection}/{entity}', { params: cat('felix'), body: { name: 'tom' } })).response.status).toBe(409);
    expect((await api.GET('/{org}/{app}/{collection}/{entity}', { params: cat('felix') })).response.status).toBe(200);
  });
});

describe('deleteEntity', () => {
  it('deletes an entity, which is then gone', async () => {
    expect((await api.DELETE('/{org}/{app}/{collection}/{entity}', { params: cat('felix') })).response.status).toBe(200);
    expect((await api.GET('/{org}/{app}/{collection}/{entity}', { params: cat('felix') })).response.status).toBe(404);
  });
});

describe('listEntities', () => {
  it('pages a collection oldest first', async () => {
    const all = ok(await api.GET('/{org}/{app}/{collection}', { params: { path: cats, query: { limit: 100 } } }));
    expect(all.entities.map((e) => e.name)).toEqual(['tom', undefined]);
    const empty = await api.GET('/{org}/{app}/{collection}', { params: { path: inApp('birds') } });
    expect(empty.data).toMatchObject({ entities: [], count: 0 });
  });
});
