import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { openSession } from '../helpers/quickblox.js';
import { ManualClock, startTestServer, type TestServer } from '../helpers/server.js';
import { createUser } from '../helpers/users.js';
import { client, type Client } from '../helpers/http.js';

/**
 * Finding 7: anyone could fill an organization's sandbox with 1 MiB entities, and a page of 1,000
 * of them was built whole in memory. Now an entity is at most 64 KiB of JSON, each application has
 * a storage quota (small for a sandbox), and a page stops at a byte bound with a cursor to go on.
 * Quotas and the page bound are set small here so the tests stay quick; the entity bound is the default.
 */

const KiB = 1024;
const pageMaxBytes = 256 * KiB;
const quota = { storageQuotaBytes: 1024 * KiB, storageQuotaEntities: 30, sandboxQuotaBytes: 128 * KiB, sandboxQuotaEntities: 10 };

let server: TestServer;
let http: Client;
const clock = new ManualClock();

/** A property of about `bytes` bytes, so an entity's size is what the test says. */
const padding = (bytes: number) => 'x'.repeat(bytes);

beforeAll(async () => {
  server = await startTestServer({ clock, config: { pageMaxBytes, ...quota } });
  http = client(server.url);
});
afterAll(() => server.close());

async function storedIn(org: string, app: string, collection: string, token?: string): Promise<number> {
  const answer = await http.get(`/${org}/${app}/${collection}?limit=1000`, { token });
  expect(answer.status).toBe(200);
  return answer.body.entities.length + (answer.body.cursor ? 1000 : 0);
}

function expectUsergridError(answer: { status: number; body: unknown }, status: number, error: string): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toEqual({ error, error_description: expect.any(String), timestamp: expect.any(Number), duration: expect.any(Number) });
}

describe('the size of an entity', () => {
  let acme: OrganizationFixture;
  beforeAll(async () => {
    acme = await createOrganization(server.url, 'acme');
  });

  it('refuses an entity over 64 KiB of JSON with 400 entity_too_large, from a guest in the sandbox and from an admin, and stores nothing', async () => {
    expectUsergridError(await http.post('/acme/sandbox/cats', { json: { fur: padding(65 * KiB) } }), 400, 'entity_too_large');
    expectUsergridError(await http.post('/acme/app/cats', { token: acme.admin.token, json: { fur: padding(65 * KiB) } }), 400, 'entity_too_large');
    expect(await storedIn('acme', 'sandbox', 'cats')).toBe(0);
    expect(await storedIn('acme', 'app', 'cats', acme.admin.token)).toBe(0);
  });

  it('refuses an update that would grow an entity past the bound, and keeps it as it was', async () => {
    expect((await http.post('/acme/app/dogs', { token: acme.admin.token, json: { name: 'rex', fur: padding(40 * KiB) } })).status).toBe(200);
    expectUsergridError(await http.put('/acme/app/dogs/rex', { token: acme.admin.token, json: { tail: padding(30 * KiB) } }), 400, 'entity_too_large');
    const rex = (await http.get('/acme/app/dogs/rex', { token: acme.admin.token })).body.entities[0];
    expect(rex).not.toHaveProperty('tail');
  });

  it('bounds a user’s own properties the same way', async () => {
    const answer = await http.post('/acme/app/users', { token: acme.admin.token, json: { username: 'big', password: 'big-password', bio: padding(65 * KiB) } });
    expectUsergridError(answer, 400, 'entity_too_large');
    expect((await http.get('/acme/app/users/big', { token: acme.admin.token })).status).toBe(404);
  });
});

describe('the storage quota of an application', () => {
  it('stops a sandbox at its bytes: 400 storage_quota_exceeded, nothing written, and a delete makes room', async () => {
    await createOrganization(server.url, 'bytes-org');
    for (const name of ['a', 'b', 'c', 'd']) {
      expect((await http.post('/bytes-org/sandbox/cats', { json: { name, fur: padding(30 * KiB) } })).status).toBe(200);
    }
    expectUsergridError(await http.post('/bytes-org/sandbox/cats', { json: { name: 'e', fur: padding(30 * KiB) } }), 400, 'storage_quota_exceeded');
    expectUsergridError(await http.put('/bytes-org/sandbox/cats/a', { json: { more: padding(20 * KiB) } }), 400, 'storage_quota_exceeded');
    expect(await storedIn('bytes-org', 'sandbox', 'cats')).toBe(4);
    // Shrinking is always allowed, and frees room.
    expect((await http.put('/bytes-org/sandbox/cats/a', { json: { fur: 'short' } })).status).toBe(200);
    expect((await http.delete('/bytes-org/sandbox/cats/b')).status).toBe(200);
    expect((await http.post('/bytes-org/sandbox/cats', { json: { name: 'e', fur: padding(30 * KiB) } })).status).toBe(200);
    expect((await http.post('/bytes-org/sandbox/cats', { json: { name: 'f', fur: padding(30 * KiB) } })).status).toBe(200);
  });

  it('counts parallel creates exactly: of 30 sent at once to a sandbox that holds 10, exactly 10 are stored', async () => {
    await createOrganization(server.url, 'race-org');
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => http.post('/race-org/sandbox/birds', { json: { n: i } })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
    for (const refused of answers.filter((a) => a.status !== 200)) expectUsergridError(refused, 400, 'storage_quota_exceeded');
    expect(await storedIn('race-org', 'sandbox', 'birds')).toBe(10);
    // Parallel deletes give the room back exactly, too.
    const list = (await http.get('/race-org/sandbox/birds?limit=100')).body.entities as { uuid: string }[];
    await Promise.all(list.map((bird) => http.delete(`/race-org/sandbox/birds/${bird.uuid}`)));
    const again = await Promise.all(Array.from({ length: 12 }, (_, i) => http.post('/race-org/sandbox/birds', { json: { n: i } })));
    expect(again.filter((a) => a.status === 200)).toHaveLength(10);
  });

  it('does not count a create refused for its duplicate name', async () => {
    await createOrganization(server.url, 'dup-org');
    expect((await http.post('/dup-org/sandbox/cats', { json: { name: 'tom' } })).status).toBe(200);
    for (let i = 0; i < 12; i += 1) expect((await http.post('/dup-org/sandbox/cats', { json: { name: 'tom' } })).status).toBe(409);
    for (let i = 1; i < 10; i += 1) expect((await http.post('/dup-org/sandbox/cats', { json: { name: `cat-${i}` } })).status).toBe(200);
  });

  it('gives other applications the larger quota, shared by /{org}/{app} and QuickBlox’s /data routes, which answer 422', async () => {
    const initech = await createOrganization(server.url, 'initech');
    await createUser(server.url, initech, 'milton');
    const session = await openSession(server.url, initech, clock, { user: { login: 'milton', password: 'milton-password' } });
    for (let i = 0; i < 15; i += 1) expect((await http.post('/initech/app/staplers', { token: initech.admin.token, json: { n: i } })).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => http.post('/data/Stapler.json', { headers: { 'QB-Token': session }, json: { n: i } })));
    // 30 items: milton, 15 staplers, and 14 of these.
    expect(answers.filter((a) => a.status === 201)).toHaveLength(14);
    for (const refused of answers.filter((a) => a.status !== 201)) {
      expect(refused.status).toBe(422);
      expect(refused.body).toEqual({ errors: { base: ["The application's storage quota is used up; delete entities to make room"] } });
    }
    const tooBig = await http.post('/data/Stapler.json', { headers: { 'QB-Token': session }, json: { n: padding(65 * KiB) } });
    expect(tooBig.status).toBe(422);
    expect(tooBig.body).toEqual({ errors: { base: ['The entity would be larger than 65536 bytes of JSON'] } });
  });
});

describe('the size of a page', () => {
  let pages: OrganizationFixture;
  beforeAll(async () => {
    pages = await createOrganization(server.url, 'pages-org');
    for (let i = 0; i < 10; i += 1) {
      expect((await http.post('/pages-org/app/crates', { token: pages.admin.token, json: { name: `crate-${i}`, load: padding(60 * KiB) } })).status).toBe(200);
    }
  });

  it('stops a page of entities at its byte bound, however large the limit, with a cursor that leads through every entity once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pagesRead = 0;
    do {
      const answer = await http.get(`/pages-org/app/crates?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { token: pages.admin.token });
      expect(answer.status).toBe(200);
      expect(answer.text.length).toBeLessThan(pageMaxBytes + 8 * KiB);
      seen.push(...(answer.body.entities as { name: string }[]).map((e) => e.name));
      cursor = answer.body.cursor;
      pagesRead += 1;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `crate-${i}`));
    expect(pagesRead).toBeGreaterThanOrEqual(3);
  });

  it('stops a QuickBlox page at the same bound and answers as its `limit` how many it holds, so skip + limit goes on', async () => {
    await createUser(server.url, pages, 'porter');
    const session = await openSession(server.url, pages, clock, { user: { login: 'porter', password: 'porter-password' } });
    const seen: string[] = [];
    let skip = 0;
    for (;;) {
      const answer = await http.get(`/data/Crates.json?limit=1000&skip=${skip}`, { headers: { 'QB-Token': session } });
      expect(answer.status).toBe(200);
      expect(answer.text.length).toBeLessThan(pageMaxBytes + 8 * KiB);
      const items = answer.body.items as { name: string }[];
      if (items.length === 0) break;
      expect(items.length).toBeLessThan(10);
      seen.push(...items.map((item) => item.name));
      skip += answer.body.limit;
    }
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `crate-${i}`));
  });

  it('stops a page of users at the same bound', async () => {
    for (let i = 0; i < 6; i += 1) {
      const answer = await http.post('/pages-org/app/users', { token: pages.admin.token, json: { username: `heavy-${i}`, password: 'heavy-password', bio: padding(60 * KiB) } });
      expect(answer.status).toBe(200);
    }
    const first = await http.get('/pages-org/app/users?limit=1000', { token: pages.admin.token });
    expect(first.status).toBe(200);
    expect(first.body.entities.length).toBeLessThan(7);
    expect(first.body.cursor).toEqual(expect.any(String));
    const second = await http.get(`/pages-org/app/users?limit=1000&cursor=${first.body.cursor}`, { token: pages.admin.token });
    const names = [...first.body.entities, ...second.body.entities].map((u: { username: string }) => u.username);
    expect(names).toContain('heavy-0');
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('users in the storage quota', () => {
  /** How many users an application has, read by its admin. */
  async function usersOf(org: OrganizationFixture, app: string): Promise<string[]> {
    const answer = await http.get(`/${org.name}/${app}/users?limit=1000`, { token: org.admin.token });
    expect(answer.status).toBe(200);
    return (answer.body.entities as { username: string }[]).map((u) => u.username);
  }

  it('counts anonymous sign-ups to a sandbox: a guest cannot store past its bytes with users, nor then with entities; a deleted user frees room', async () => {
    const org = await createOrganization(server.url, 'signup-org');
    for (const name of ['u1', 'u2', 'u3', 'u4']) {
      expect((await http.post('/signup-org/sandbox/users', { json: { username: name, password: 'guest-password', bio: padding(30 * KiB) } })).status).toBe(200);
    }
    expectUsergridError(await http.post('/signup-org/sandbox/users', { json: { username: 'u5', password: 'guest-password', bio: padding(30 * KiB) } }), 400, 'storage_quota_exceeded');
    expectUsergridError(await http.post('/signup-org/sandbox/cats', { json: { fur: padding(10 * KiB) } }), 400, 'storage_quota_exceeded');
    expect(await usersOf(org, 'sandbox')).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect((await http.delete('/signup-org/sandbox/users/u1', { token: org.admin.token })).status).toBe(200);
    expect((await http.post('/signup-org/sandbox/users', { json: { username: 'u5', password: 'guest-password', bio: padding(30 * KiB) } })).status).toBe(200);
  });

  it('counts the growth of a user’s properties, and lets them shrink', async () => {
    const org = await createOrganization(server.url, 'grow-org');
    for (const name of ['g1', 'g2', 'g3', 'g4']) {
      expect((await http.post('/grow-org/sandbox/users', { json: { username: name, password: 'guest-password', bio: padding(28 * KiB) } })).status).toBe(200);
    }
    expectUsergridError(await http.put('/grow-org/sandbox/users/g1', { token: org.admin.token, json: { more: padding(20 * KiB) } }), 400, 'storage_quota_exceeded');
    expect((await http.get('/grow-org/sandbox/users/g1', { token: org.admin.token })).body.entities[0]).not.toHaveProperty('more');
    expect((await http.put('/grow-org/sandbox/users/g1', { token: org.admin.token, json: { bio: 'short' } })).status).toBe(200);
    expect((await http.put('/grow-org/sandbox/users/g2', { token: org.admin.token, json: { more: padding(25 * KiB) } })).status).toBe(200);
  });

  it('counts parallel sign-ups exactly, users and entities as one count: of 30 sent at once to a sandbox that holds 10 items, 8 are stored beside 2 entities', async () => {
    const org = await createOrganization(server.url, 'crowd-org');
    for (const name of ['a', 'b']) expect((await http.post('/crowd-org/sandbox/cats', { json: { name } })).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => http.post('/crowd-org/sandbox/users', { json: { username: `crowd-${i}`, password: 'guest-password' } })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(8);
    for (const refused of answers.filter((a) => a.status !== 200)) expectUsergridError(refused, 400, 'storage_quota_exceeded');
    expect(await usersOf(org, 'sandbox')).toHaveLength(8);
    // A sign-up refused for its taken username counts nothing either.
    expect((await http.delete('/crowd-org/sandbox/cats/a')).status).toBe(200);
    // Which eight got in depends on timing: retake the name of one that did.
    const taken = (answers.find((a) => a.status === 200)!.body as { entities: { username: string }[] }).entities[0]!.username;
    expect((await http.post('/crowd-org/sandbox/users', { json: { username: taken, password: 'guest-password' } })).status).toBe(409);
    expect((await http.post('/crowd-org/sandbox/users', { json: { username: 'late', password: 'guest-password' } })).status).toBe(200);
  });

  it('counts QuickBlox sign-ups (POST /users.json) in the same quota, exactly under parallel sign-ups, refused with 422', async () => {
    const org = await createOrganization(server.url, 'qb-signup-org');
    const session = await openSession(server.url, org, clock);
    const signUp = (login: string, customData = 'x') =>
      http.post('/users.json', { headers: { 'QB-Token': session }, json: { user: { login, password: 'signup-password', custom_data: customData } } });
    const answers = await Promise.all(Array.from({ length: 36 }, (_, i) => signUp(`qb-${i}`)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(30);
    for (const refused of answers.filter((a) => a.status !== 201)) {
      expect(refused.status).toBe(422);
      expect(refused.body).toEqual({ errors: { base: ["The application's storage quota is used up; delete entities to make room"] } });
    }
    expect(await usersOf(org, 'app')).toHaveLength(30);
  });
});

describe('the size of a page of QuickBlox users', () => {
  it('stops GET /users.json at the byte bound and answers as its `per_page` how many users it holds', async () => {
    const org = await createOrganization(server.url, 'qb-pages-org');
    const session = await openSession(server.url, org, clock);
    for (let i = 0; i < 10; i += 1) {
      const answer = await http.post('/users.json', { headers: { 'QB-Token': session }, json: { user: { login: `wide-${i}`, password: 'signup-password', custom_data: padding(60 * KiB) } } });
      expect(answer.status).toBe(201);
    }
    const reader = { 'QB-Token': await openSession(server.url, org, clock, { user: { login: 'wide-0', password: 'signup-password' } }) };
    const first = await http.get('/users.json?page=1&per_page=100', { headers: reader });
    expect(first.status).toBe(200);
    expect(first.text.length).toBeLessThan(pageMaxBytes + 8 * KiB);
    expect(first.body.per_page).toBeLessThan(10);
    expect(first.body.items).toHaveLength(first.body.per_page);
    expect(first.body.total_entries).toBe(10);
    // Going on at the page size the first page answered reaches every user once.
    const perPage = first.body.per_page as number;
    const seen: string[] = [];
    for (let page = 1; seen.length < 10 && page <= 10; page += 1) {
      const answer = await http.get(`/users.json?page=${page}&per_page=${perPage}`, { headers: reader });
      expect(answer.text.length).toBeLessThan(pageMaxBytes + 8 * KiB);
      seen.push(...(answer.body.items as { user: { login: string } }[]).map((item) => item.user.login));
    }
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `wide-${i}`));
  });
});
