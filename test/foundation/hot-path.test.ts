import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let http: Client;
let acme: OrganizationFixture;
let statements: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  acme = await createOrganization(http, 'acme');
  server.deps.db.on('query', (query: { sql: string }) => statements.push(query.sql));
});
afterAll(() => server.close());

describe('authenticating a request', () => {
  it('is a cache hit once the token is known: no token lookup and no write per request', async () => {
    await http.get('/management/orgs/acme', { token: acme.admin.token });
    statements = [];
    for (let i = 0; i < 20; i++) expect((await http.get('/management/orgs/acme', { token: acme.admin.token })).status).toBe(200);
    expect(statements.filter((sql) => /from "tokens"|from `tokens`/i.test(sql))).toEqual([]);
    expect(statements.filter((sql) => /^\s*(insert|update|delete)/i.test(sql))).toEqual([]);
  });

  it('writes last-use times behind, in one statement for many requests', async () => {
    await server.deps.tokens.flush();
    statements = [];
    for (let i = 0; i < 10; i++) await http.get('/management/orgs/acme', { token: acme.admin.token });
    const updates = () => statements.filter((sql) => /^\s*update\s+["`]tokens["`]/i.test(sql));
    expect(updates()).toEqual([]);
    // What the write-behind timer (once a minute) and shutdown do:
    await server.deps.tokens.flush();
    expect(updates()).toHaveLength(1);
    const [row] = await server.deps.db('tokens').where({ subject_kind: 'admin' }).orderBy('last_used_at', 'desc').limit(1);
    expect(Number(row.last_used_at)).toBeGreaterThan(Number(row.created_at));
  });

  it('looks an unknown token up in the database with one indexed query', async () => {
    statements = [];
    await http.get('/management/orgs/acme', { token: 'tsr_at_unknown' });
    const lookups = statements.filter((sql) => /from ["`]tokens["`]/i.test(sql));
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toMatch(/where ["`]hash["`] = /);
  });
});
