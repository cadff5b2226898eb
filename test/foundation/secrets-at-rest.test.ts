import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera } from '../helpers/api.js';
import { createOrganization, superuserToken } from '../helpers/fixtures.js';
import { startTestServer, superuser, type TestServer } from '../helpers/server.js';
import { ok } from '../helpers/api.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
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
    const acme = await createOrganization(server.url, 'acme');
    const root = await superuserToken(server.url);
    const userPassword = 'a-user-password';
    const api = tessera(server.url, acme.admin.token);
    const app = { org: 'acme', app: 'app' };
    await api.POST('/{org}/{app}/users', { params: { path: app }, body: { username: 'zed', password: userPassword } });
    const rotated = ok(await api.POST('/management/orgs/{org}/apps/{app}/credentials', { params: { path: app } }));
    const secrets = [
      superuser.password,
      root,
      acme.admin.password,
      acme.admin.token,
      acme.clientSecret,
      acme.app.clientSecret,
      acme.app.authSecret,
      rotated.credentials.client_secret,
      rotated.credentials.auth_secret,
      userPassword,
    ];
    const stored = await everythingStored();
    expect(stored).toContain('acme'); // the dump does see the data
    for (const secret of secrets) expect(stored, 'a secret is stored in plain text').not.toContain(secret);
  });
});
