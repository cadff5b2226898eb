import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera, type Tessera } from '../helpers/api.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let acme: OrganizationFixture;
/** Acme's admin's typed client. */
let api: Tessera;
let statements: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  acme = await createOrganization(server.url, 'acme');
  api = tessera(server.url, acme.admin.token);
  server.deps.db.on('query', (query: { sql: string }) => statements.push(query.sql));
});
afterAll(() => server.close());

/** The authenticated request these tests count statements for. */
const getAcme = (as: Tessera = api) => as.GET('/management/orgs/{org}', { params: { path: { org: 'acme' } } });

describe('authenticating a request', () => {
  it('is a cache hit once the token is known: no token lookup and no write per request', async () => {
    await getAcme();
    statements = [];
    for (let i = 0; i < 20; i++) expect((await getAcme()).response.status).toBe(200);
    expect(statements.filter((sql) => /from ["`]?tokens["`]?\s/i.test(sql))).toEqual([]);
    expect(statements.filter((sql) => /^\s*(insert|update|delete)/i.test(sql))).toEqual([]);
  });

  it('writes last-use times behind, in one statement for many requests', async () => {
    await server.deps.tokens.flush();
    statements = [];
    for (let i = 0; i < 10; i++) await getAcme();
    const updates = () => statements.filter((sql) => /^\s*update\s+["`]?tokens["`]?\s/i.test(sql));
    expect(updates()).toEqual([]);
    // What the write-behind timer (once a minute) and shutdown do:
    await server.deps.tokens.flush();
    expect(updates()).toHaveLength(1);
    const [row] = await server.deps.db('tokens').where({ subject_kind: 'admin' }).orderBy('last_used_at', 'desc').limit(1);
    expect(Number(row.last_used_at)).toBeGreaterThan(Number(row.created_at));
  });

  it('looks an unknown token up in the database with one indexed query', async () => {
    statements = [];
    await getAcme(tessera(server.url, 'tsr_at_unknown'));
    const lookups = statements.filter((sql) => /from ["`]?tokens["`]?\s/i.test(sql));
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toMatch(/where ["`]?hash["`]? = /);
  });
});
