import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, superuserToken } from '../helpers/fixtures.js';
import { startTestServer, superuser, type TestServer } from '../helpers/server.js';

let server: TestServer;
let http: Client;

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
});
afterAll(() => server.close());

/** Every value of every row of every table, as text. */
async function everythingStored(): Promise<string> {
  const db = server.deps.db;
  const tables = db.client.config.client === 'pg'
    ? (await db.raw("select tablename as name from pg_tables where schemaname = 'public'")).rows
    : await db.raw("select name from sqlite_master where type = 'table'");
  const dumps = await Promise.all((tables as { name: string }[]).map(async ({ name }) => JSON.stringify(await db(name).select())));
  return dumps.join('\n');
}

describe('secrets at rest', () => {
  it('keeps no issued token, client secret, auth secret or password in the database', async () => {
    const acme = await createOrganization(http, 'acme');
    const root = await superuserToken(http);
    const userPassword = 'a-user-password';
    await http.post('/acme/app/users', { token: acme.admin.token, json: { username: 'zed', password: userPassword } });
    const rotated = await http.post('/management/orgs/acme/apps/app/credentials', { token: acme.admin.token });
    const secrets = [
      superuser.password,
      root,
      acme.admin.password,
      acme.admin.token,
      acme.clientSecret,
      acme.app.clientSecret,
      acme.app.authSecret,
      rotated.body.credentials.client_secret,
      rotated.body.credentials.auth_secret,
      userPassword,
    ];
    const stored = await everythingStored();
    expect(stored).toContain('acme'); // the dump does see the data
    for (const secret of secrets) expect(stored, 'a secret is stored in plain text').not.toContain(secret);
  });
});
