import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedExpirationDate, needUser, openSession, type QuickBloxWorld, sessionForm, sessionNotFound, startWorld, withSession } from './support.js';

const twoHours = 2 * 3600_000;

let { server, http, clock, acme } = {} as QuickBloxWorld;
beforeAll(async () => ({ server, http, clock, acme } = await startWorld({ acme: ['alice'] })));
afterAll(() => server.close());

describe('a session expires two hours after its last request', () => {
  it('works just before two idle hours and fails just after', async () => {
    const early = withSession(http, await openSession(http, acme, clock));
    const late = withSession(http, await openSession(http, acme, clock));
    clock.advance(twoHours - 1000);
    expect((await early.get('/session.json')).status).toBe(200);
    clock.advance(2000);
    const answer = await late.get('/session.json');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(sessionNotFound);
  });

  it('is extended by every request: one in between keeps it alive for two more hours', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    clock.advance(twoHours - 1000);
    const middle = await session.get('/users.json');
    expect(middle.status).toBe(200);
    expect(middle.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + twoHours));
    clock.advance(twoHours - 1000);
    expect((await session.get('/session.json')).status).toBe(200);
    clock.advance(twoHours + 1000);
    expect((await session.get('/session.json')).status).toBe(401);
  });

  it('keeps the extension through the write-behind and the cache: the row holds the last use once flushed', async () => {
    const token = await openSession(http, acme, clock);
    const session = withSession(http, token);
    const id = (await session.get('/session.json')).body.session.id;
    clock.advance(twoHours - 1000);
    expect((await session.get('/session.json')).status).toBe(200);
    await server.deps.tokens.flush();
    const row = await server.deps.db('tokens').where({ id }).first();
    expect(Number(row.last_used_at)).toBe(clock.now());
  });

  it('writes the expiration date exactly as QuickBlox does, on every answer to a valid token, errors included', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const expected = expectedExpirationDate(clock.now() + twoHours);
    expect(expected).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    const refused = await session.post('/data/Movie.json', { json: { title: 'Heat' } });
    expect(refused.body).toEqual(needUser);
    const missing = await session.get('/users/999999.json');
    expect(missing.status).toBe(404);
    const invalid = await session.get('/users.json?per_page=1000');
    expect(invalid.status).toBe(422);
    for (const answer of [await session.get('/session.json'), refused, missing, invalid]) {
      expect(answer.headers.get('qb-token-expirationdate')).toBe(expected);
    }
  });

  it("follows the application's sessionttl", async () => {
    const changed = await http.put('/management/orgs/acme/apps/app', { token: acme.admin.token, json: { sessionttl: 600 } });
    expect(changed.status).toBe(200);
    try {
      const created = await http.post('/session.json', { form: sessionForm(acme, clock) });
      expect(created.headers.get('qb-token-expirationdate')).toBe(expectedExpirationDate(clock.now() + 600_000));
      const session = withSession(http, created.body.session.token);
      clock.advance(599_000);
      expect((await session.get('/session.json')).status).toBe(200);
      clock.advance(601_000);
      expect((await session.get('/session.json')).status).toBe(401);
    } finally {
      await http.put('/management/orgs/acme/apps/app', { token: acme.admin.token, json: { sessionttl: 7200 } });
    }
  });
});

describe('the hot path', () => {
  it('authenticates a known session from the cache, and writes nothing per request', async () => {
    const session = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
    await session.get('/session.json');
    await server.deps.tokens.flush();
    const statements: string[] = [];
    const listener = (query: { sql: string }) => statements.push(query.sql);
    server.deps.db.on('query', listener);
    try {
      for (let i = 0; i < 20; i++) {
        clock.advance(1000);
        expect((await session.get('/session.json')).status).toBe(200);
      }
    } finally {
      server.deps.db.removeListener('query', listener);
    }
    expect(statements.filter((sql) => /from ["`]tokens["`]/i.test(sql))).toEqual([]);
    expect(statements.filter((sql) => /^\s*(insert|update|delete)/i.test(sql))).toEqual([]);
  });

  it('looks an unknown token up with one indexed query', async () => {
    const statements: string[] = [];
    const listener = (query: { sql: string }) => statements.push(query.sql);
    server.deps.db.on('query', listener);
    try {
      await withSession(http, 'c56f382b402fb482086db956064592d3cd012bba').get('/session.json');
    } finally {
      server.deps.db.removeListener('query', listener);
    }
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/from ["`]tokens["`] where ["`]hash["`] = /);
  });
});
