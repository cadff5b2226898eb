import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { expectedExpirationDate, needUser, openSession, postSession, sessionNotFound, sessionRequest, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type World } from '../helpers/world.js';

const twoHours = 2 * 3600_000;

const clock = new ManualClock();
let { server, http, api, acme } = {} as World;
/** QuickBlox's own application sessions, which read the whole application (`appsessionaccess: read-all`). */
beforeAll(async () => ({ server, http, api, acme } = await startWorld({ clock, users: { acme: ['alice'] }, appSessionAccess: 'read-all' })));
afterAll(() => server.close());

const appPath = { params: { path: acmeApp } };

describe('a session expires two hours after its last request', () => {
  it('works just before two idle hours and fails just after', async () => {
    const early = withSession(http, await openSession(http, acme, clock));
    const late = withSession(http, await openSession(http, acme, clock));
    clock.advance(twoHours - 1000);
    expect((await early.GET('/session.json')).response.status).toBe(200);
    clock.advance(2000);
    const answer = await late.GET('/session.json');
    expect(answer.response.status).toBe(401);
    expect(answer.error).toEqual(sessionNotFound);
  });

  it('is extended by every request: one in between keeps it alive for two more hours', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    clock.advance(twoHours - 1000);
    const middle = await session.GET('/users.json');
    expect(middle.response.status).toBe(200);
    expect(middle.response.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + twoHours));
    clock.advance(twoHours - 1000);
    expect((await session.GET('/session.json')).response.status).toBe(200);
    clock.advance(twoHours + 1000);
    expect((await session.GET('/session.json')).response.status).toBe(401);
  });

  it('keeps the extension through the write-behind and the cache: the row holds the last use once flushed', async () => {
    const token = await openSession(http, acme, clock);
    const session = withSession(http, token);
    const id = ok(await session.GET('/session.json')).session.id;
    clock.advance(twoHours - 1000);
    expect((await session.GET('/session.json')).response.status).toBe(200);
    await server.deps.tokens.flush();
    const row = await server.deps.db('tokens').where({ id }).first();
    expect(Number(row.last_used_at)).toBe(clock.now());
  });

  it('writes the expiration date exactly as QuickBlox does, on every answer to a valid token, errors included', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const expected = expectedExpirationDate(clock.now() + twoHours);
    expect(expected).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    const refused = await session.POST('/data/{className}.json', { params: { path: { className: 'Movie' } }, body: { title: 'Heat' } });
    expect(refused.error).toEqual(needUser);
    const missing = await session.GET('/users/{id}.json', { params: { path: { id: 999999 } } });
    expect(missing.response.status).toBe(404);
    // Over the spec's maximum of 100, which the types cannot carry: a typed call the server refuses.
    const invalid = await session.GET('/users.json', { params: { query: { per_page: 1000 } } });
    expect(invalid.response.status).toBe(422);
    for (const { response } of [await session.GET('/session.json'), refused, missing, invalid]) {
      expect(response.headers.get('qb-token-expirationdate')).toBe(expected);
    }
  });

  it("follows the application's sessionttl", async () => {
    const admin = api(acme.admin.token);
    const changed = await admin.PUT('/management/orgs/{org}/apps/{app}', { ...appPath, body: { sessionttl: 600 } });
    expect(changed.response.status).toBe(200);
    try {
      const created = await postSession(api(), sessionRequest(acme, clock));
      expect(created.response.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + 600_000));
      const session = withSession(http, ok(created).session.token);
      clock.advance(599_000);
      expect((await session.GET('/session.json')).response.status).toBe(200);
      clock.advance(601_000);
      expect((await session.GET('/session.json')).response.status).toBe(401);
    } finally {
      await admin.PUT('/management/orgs/{org}/apps/{app}', { ...appPath, body: { sessionttl: 7200 } });
    }
  });
});

describe('a session dies at its absolute lifetime, however it is used', () => {
  const day = 24 * 3600_000;

  it('lives a day from its opening at most: hourly use keeps it alive until then, and QB-Token-ExpirationDate never says later', async () => {
    const openedAt = clock.now();
    const session = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
    for (let hour = 1; hour < 24; hour++) {
      clock.advance(3600_000);
      const answer = await session.GET('/users.json');
      expect(answer.response.status).toBe(200);
      expect(answer.response.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(Math.min(clock.now() + twoHours, openedAt + day)));
    }
    clock.advance(day - 23 * 3600_000 - 1000);
    expect((await session.GET('/session.json')).response.status).toBe(200);
    clock.advance(1000);
    const dead = await session.GET('/session.json');
    expect(dead.response.status).toBe(401);
    expect(dead.error).toEqual(sessionNotFound);
  });

  it("follows the application's sessionlifetime, which caps the expiration date from the first answer on", async () => {
    const admin = api(acme.admin.token);
    ok(await admin.PUT('/management/orgs/{org}/apps/{app}', { ...appPath, body: { sessionlifetime: 3600 } }));
    try {
      const created = await postSession(api(), sessionRequest(acme, clock));
      expect(created.response.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + 3600_000));
      const session = withSession(http, ok(created).session.token);
      clock.advance(1800_000);
      expect((await session.GET('/session.json')).response.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + 1800_000));
      clock.advance(1800_000);
      expect((await session.GET('/session.json')).response.status).toBe(401);
    } finally {
      await admin.PUT('/management/orgs/{org}/apps/{app}', { ...appPath, body: { sessionlifetime: 86400 } });
    }
  });
});

describe('the hot path', () => {
  it('authenticates a known session from the cache, and writes nothing per request', async () => {
    const session = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
    await session.GET('/session.json');
    await server.deps.tokens.flush();
    const statements: string[] = [];
    const listener = (query: { sql: string }) => statements.push(query.sql);
    server.deps.db.on('query', listener);
    try {
      for (let i = 0; i < 20; i++) {
        clock.advance(1000);
        expect((await session.GET('/session.json')).response.status).toBe(200);
      }
    } finally {
      server.deps.db.removeListener('query', listener);
    }
    expect(statements.filter((sql) => /from ["`]?tokens["`]?\s/i.test(sql))).toEqual([]);
    expect(statements.filter((sql) => /^\s*(insert|update|delete)/i.test(sql))).toEqual([]);
  });

  it('looks an unknown token up with one indexed query', async () => {
    const statements: string[] = [];
    const listener = (query: { sql: string }) => statements.push(query.sql);
    server.deps.db.on('query', listener);
    try {
      await withSession(http, 'c56f382b402fb482086db956064592d3cd012bba').GET('/session.json');
    } finally {
      server.deps.db.removeListener('query', listener);
    }
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/from ["`]?tokens["`]? where ["`]?hash["`]? = /);
  });
});
