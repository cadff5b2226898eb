import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { superuser, startTestServer, type TestServer } from '../helpers/server.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'bin', 'tessera.mjs');
const run = promisify(execFile);

let server: TestServer;
/** The folder `tessera login` writes to, one for the whole file (the commands run in order, as an operator would). */
let configDir: string;

beforeAll(async () => {
  server = await startTestServer();
  configDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-config-')), 'tessera');
});
afterAll(async () => {
  await server?.close();
});

/**
 * Runs `tessera <args>` as a child process, asynchronously: the server it talks to runs in this very
 * process and must go on answering while the command waits.
 */
async function tessera(args: string[], env: Record<string, string> = {}) {
  const { TESSERA_URL: _u, TESSERA_TOKEN: _t, TESSERA_PASSWORD: _p, TESSERA_ORG: _o, TESSERA_APP: _a, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(bin, args, { cwd: root, env: { ...inherited, TESSERA_CONFIG_DIR: configDir, ...env }, timeout: 60_000 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    if (typeof failed.code !== 'number') throw error;
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const credentials = () => path.join(configDir, 'credentials.json');

// The client side of operations whose server side each operation's own tests cover on both
// engines; each command is a process of its own (~2 s), so the PostgreSQL pass does not repeat it.
describe.skipIf(process.env.TEST_DATABASE_URL !== undefined)('the provisioning commands of tessera', () => {
  it('signs in with TESSERA_PASSWORD and keeps the token in a file only the user may read', async () => {
    const answer = await tessera(['login', '--url', server.url, '--username', superuser.username], { TESSERA_PASSWORD: superuser.password });
    expect(answer.status, answer.stderr).toBe(0);
    expect(answer.stdout).toContain(`Signed in to ${server.url} as ${superuser.username}`);
    const stored = JSON.parse(fs.readFileSync(credentials(), 'utf8')) as { url: string; access_token: string };
    expect(stored.url).toBe(server.url);
    expect(answer.stdout + answer.stderr).not.toContain(stored.access_token);
    expect(fs.statSync(credentials()).mode & 0o777).toBe(0o600);
    expect(fs.statSync(configDir).mode & 0o777).toBe(0o700);
  });

  it('refuses a wrong password with exit 4 and the API error in one line, keeping no file', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-config-'));
    const answer = await tessera(['login', '--url', server.url, '--username', superuser.username], { TESSERA_PASSWORD: 'not-the-password', TESSERA_CONFIG_DIR: elsewhere });
    expect(answer.status).toBe(4);
    expect(answer.stderr).toMatch(/^tessera: invalid_grant: .*\(HTTP 4\d\d\)/);
    expect(answer.stderr.trim().split('\n')).toHaveLength(1);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('creates an organization (the superuser) and shows its client secret once', async () => {
    const created = await tessera(['organizations', 'create', '--name', 'cli-org', '--username', 'cli-admin', '--email', 'cli-admin@example.com'], {
      TESSERA_NEW_PASSWORD: 'cli-admin-password',
    });
    expect(created.status, created.stderr).toBe(0);
    const secret = /client_secret:\s+(\S+)/.exec(created.stdout)?.[1];
    expect(secret).toBeTruthy();
    expect(created.stderr).toMatch(/Shown only now, never again/);
    const listed = await tessera(['organizations', 'list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^NAME\s+UUID\s+APPLICATIONS\s+CREATED/);
    expect(listed.stdout).toMatch(/\ncli-org\s+[0-9a-f-]{36}\s+sandbox\s/);
    expect(listed.stdout).not.toContain(secret);
  });

  it('creates, lists and rotates applications: each secret is shown by the command that issued it, and never again', async () => {
    const created = await tessera(['applications', 'create', '--org', 'cli-org', '--name', 'shop']);
    expect(created.status, created.stderr).toBe(0);
    const clientSecret = /client_secret:\s+(\S+)/.exec(created.stdout)![1]!;
    const authSecret = /auth_secret:\s+(\S+)/.exec(created.stdout)![1]!;

    const listed = await tessera(['applications', 'list', '--org', 'cli-org']);
    expect(listed.stdout).toMatch(/\nshop\s+[0-9a-f-]{36}\s+\S+\s+\d+\s+\S+\s+\d{4}-/);
    for (const secret of [clientSecret, authSecret]) expect(listed.stdout).not.toContain(secret);

    const rotated = await tessera(['applications', 'rotate-credentials', '--json'], { TESSERA_ORG: 'cli-org', TESSERA_APP: 'shop' });
    expect(rotated.status, rotated.stderr).toBe(0);
    const body = JSON.parse(rotated.stdout) as { credentials: { client_secret: string; auth_secret: string } };
    expect(body.credentials.client_secret).not.toBe(clientSecret);
    expect(body.credentials.auth_secret).not.toBe(authSecret);
    const again = await tessera(['applications', 'list', '--org', 'cli-org', '--json']);
    expect(again.stdout).not.toContain(body.credentials.client_secret);
  });

  it('creates an API token whose value is shown once, lists it without it, and revokes it', async () => {
    const created = await tessera(['api-tokens', 'create', '--org', 'cli-org', '--app', 'shop', '--name', 'nightly', '--access', 'read', '--json']);
    expect(created.status, created.stderr).toBe(0);
    const { data } = JSON.parse(created.stdout) as { data: { api_token: { id: number }; access_token: string } };
    expect(created.stderr).toMatch(/Shown only now, never again/);

    const listed = await tessera(['api-tokens', 'list', '--org', 'cli-org', '--app', 'shop']);
    expect(listed.stdout).toMatch(new RegExp(`\\n${data.api_token.id}\\s+nightly\\s+read\\s+\\d{4}-\\S+\\s+never\\s+-`));
    expect(listed.stdout).not.toContain(data.access_token);

    // The token itself drives the CLI through TESSERA_URL and TESSERA_TOKEN.
    const asToken = { TESSERA_URL: server.url, TESSERA_TOKEN: data.access_token };
    expect((await tessera(['users', 'list', '--org', 'cli-org', '--app', 'shop'], asToken)).status).toBe(0);

    const revoked = await tessera(['api-tokens', 'revoke', '--org', 'cli-org', '--app', 'shop', '--id', String(data.api_token.id)]);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked API token ${data.api_token.id} (nightly)`);
    const refused = await tessera(['users', 'list', '--org', 'cli-org', '--app', 'shop'], asToken);
    expect(refused.status).toBe(4);
    expect(refused.stderr).toMatch(/^tessera: \S+: .*\(HTTP 401\): run tessera login\n$/);

    const again = await tessera(['api-tokens', 'revoke', '--org', 'cli-org', '--app', 'shop', '--id', String(data.api_token.id)]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^tessera: \S+: .*\(HTTP 404\)\n$/);
  });

  it('creates, lists, deactivates application users and sets a password', async () => {
    const created = await tessera(['users', 'create', '--org', 'cli-org', '--app', 'shop', '--username', 'carol', '--email', 'carol@example.com'], { TESSERA_NEW_PASSWORD: 'carol-password' });
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/\ncarol\s+[0-9a-f-]{36}\s+carol@example.com\s+-\s+yes\s/);
    expect(created.stdout).not.toContain('carol-password');

    const password = await tessera(['users', 'set-password', '--org', 'cli-org', '--app', 'shop', '--user', 'carol'], { TESSERA_NEW_PASSWORD: 'carol-new-password' });
    expect(password.status, password.stderr).toBe(0);
    const signIn = (pw: string) => fetch(`${server.url}/cli-org/shop/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'password', username: 'carol', password: pw }) });
    expect((await signIn('carol-password')).status).not.toBe(200);
    expect((await signIn('carol-new-password')).status).toBe(200);

    const deactivated = await tessera(['users', 'deactivate', '--org', 'cli-org', '--app', 'shop', '--user', 'carol']);
    expect(deactivated.status, deactivated.stderr).toBe(0);
    expect(deactivated.stdout).toMatch(/\ncarol\s+.*\s+no\s+\d{4}-/);
    expect((await signIn('carol-new-password')).status).not.toBe(200);

    const listed = await tessera(['users', 'list', '--org', 'cli-org', '--app', 'shop', '--json']);
    const body = JSON.parse(listed.stdout) as { entities: { username: string; activated: boolean }[] };
    expect(body.entities.map((u) => [u.username, u.activated])).toEqual([['carol', false]]);

    // A name is the server's (anyone who may create a user chose it): it must not drive the operator's terminal.
    const escape = '\u001b]0;owned\u0007\u001b[2J';
    const eve = await tessera(['users', 'create', '--org', 'cli-org', '--app', 'shop', '--username', 'eve', '--full-name', `Eve${escape}`], { TESSERA_NEW_PASSWORD: 'eve-password' });
    expect(eve.status, eve.stderr).toBe(0);
    expect(eve.stdout).toMatch(/\neve\s+\S+\s+-\s+Eve\?\]0;owned\?\?\[2J\s+yes/);
    expect(eve.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);

    const unknown = await tessera(['users', 'deactivate', '--org', 'cli-org', '--app', 'shop', '--user', 'nobody']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/\(HTTP 404\)\n$/);
  });

  it('registers an OAuth client (its secret shown once), lists and deletes it', async () => {
    const registered = await tessera([
      'oauth-clients', 'register', '--org', 'cli-org', '--app', 'shop', '--name', 'Storefront',
      '--redirect-uri', 'https://shop.example/callback', '--redirect-uri', 'http://127.0.0.1:9999/cb', '--json',
    ]);
    expect(registered.status, registered.stderr).toBe(0);
    const client = JSON.parse(registered.stdout) as { client_id: string; client_secret: string; redirect_uris: string[] };
    expect(client.redirect_uris).toHaveLength(2);
    const listed = await tessera(['oauth-clients', 'list', '--org', 'cli-org', '--app', 'shop']);
    expect(listed.stdout).toContain(client.client_id);
    expect(listed.stdout).not.toContain(client.client_secret);
    expect((await tessera(['oauth-clients', 'delete', '--org', 'cli-org', '--app', 'shop', '--client', client.client_id])).status).toBe(0);
    expect((await tessera(['oauth-clients', 'list', '--org', 'cli-org', '--app', 'shop'])).stdout).toContain('(none)');
    const bad = await tessera(['oauth-clients', 'register', '--org', 'cli-org', '--app', 'shop', '--name', 'x', '--grant-type', 'implicit']);
    expect(bad.status).toBe(2);
  });

  it('lists audit events, filtered by kind and time', async () => {
    const all = await tessera(['audit-events', 'list', '--org', 'cli-org', '--json']);
    expect(all.status, all.stderr).toBe(0);
    const kinds = (JSON.parse(all.stdout) as { data: { kind: string }[] }).data.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['api-token.created', 'api-token.revoked', 'credentials.rotated', 'oauth-client.deleted', 'user.deactivated']));

    const tokens = await tessera(['audit-events', 'list', '--org', 'cli-org', '--kind', 'api-token.created', '--kind', 'api-token.revoked', '--since', '1h']);
    expect(tokens.stdout).toMatch(/^TIME\s+KIND\s+COUNT/);
    const rows = tokens.stdout.trim().split('\n').slice(1);
    expect(rows.map((row) => row.split(/\s+/)[1]).sort()).toEqual(['api-token.created', 'api-token.revoked']);
    expect(rows.join('\n')).toContain('superuser:superuser');

    const future = await tessera(['audit-events', 'list', '--org', 'cli-org', '--since', new Date(Date.now() + 3_600_000).toISOString()]);
    expect(future.stdout).toContain('(none)');
    const unknownKind = await tessera(['audit-events', 'list', '--org', 'cli-org', '--kind', 'no.such-kind']);
    expect(unknownKind.status).toBe(1);
    expect(unknownKind.stderr).toMatch(/\(HTTP 400\)/);
  });

  it('answers wrong usage with exit 2, an unreachable server with exit 1, and no credentials with exit 4', async () => {
    const missing = await tessera(['applications', 'list']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('tessera: --org is required (see --help)\n');

    const nowhere = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-cli-config-'));
    const notSignedIn = await tessera(['organizations', 'list'], { TESSERA_CONFIG_DIR: nowhere });
    expect(notSignedIn.status).toBe(4);
    expect(notSignedIn.stderr).toMatch(/^tessera: not signed in: run tessera login/);

    const closed = await closedPort();
    const unreachable = await tessera(['organizations', 'list'], { TESSERA_URL: `http://127.0.0.1:${closed}`, TESSERA_TOKEN: 'x' });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toBe(`tessera: cannot reach http://127.0.0.1:${closed}: ECONNREFUSED\n`);

    const garbage = await tessera(['organizations', 'list'], { TESSERA_URL: server.url, TESSERA_TOKEN: 'not-a-token' });
    expect(garbage.status).toBe(4);

    // `..` in a path would name another endpoint (POST /{org}/{app}/deactivate creates an entity).
    const dotted = await tessera(['users', 'deactivate', '--org', 'acme', '--app', 'shop', '--user', '..'], { TESSERA_URL: server.url, TESSERA_TOKEN: 'x' });
    expect(dotted.status).toBe(2);
    expect(dotted.stderr).toBe('tessera: --user .. names no user\n');

    // A server that never answers, or answers something that is not JSON, in one line each.
    const silent = net.createServer(() => {});
    const odd = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('\u001b[2J not json'));
    await Promise.all([silent, odd].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
    try {
      const at = (s: net.Server) => `http://127.0.0.1:${(s.address() as net.AddressInfo).port}`;
      const hung = await tessera(['organizations', 'list'], { TESSERA_URL: at(silent), TESSERA_TOKEN: 'x', TESSERA_CLI_TIMEOUT_MS: '1000' });
      expect(hung.status).toBe(1);
      expect(hung.stderr).toBe(`tessera: ${at(silent)} did not answer within 1 s\n`);
      const notJson = await tessera(['organizations', 'list'], { TESSERA_URL: at(odd), TESSERA_TOKEN: 'x' });
      expect(notJson.status).toBe(1);
      expect(notJson.stderr).toBe(`tessera: ${at(odd)} answered something that is not JSON\n`);
    } finally {
      for (const s of [silent, odd]) s.close();
      silent.unref();
    }

    const help = await tessera(['--help']);
    expect(help.stdout).toMatch(/4 not signed in or the token was refused/);
    expect(help.stdout).toMatch(/api-tokens create/);
  });

  it('never sends the stored token to a server TESSERA_URL names instead of the one that issued it', async () => {
    const other = await tessera(['organizations', 'list'], { TESSERA_URL: 'http://127.0.0.1:9' });
    expect(other.status).toBe(4);
    expect(other.stderr).toMatch(/signed in to http:\/\/127\.0\.0\.1:\d+, not to TESSERA_URL http:\/\/127\.0\.0\.1:9/);
  });

  it('refuses a credentials file other users may read', async () => {
    fs.chmodSync(credentials(), 0o644);
    try {
      const answer = await tessera(['organizations', 'list']);
      expect(answer.status).toBe(4);
      expect(answer.stderr).toMatch(/may be read by other users/);
    } finally {
      fs.chmodSync(credentials(), 0o600);
    }
  });

  it('logs out: the token is revoked on the server and the file deleted, also a file others could read', async () => {
    const { access_token: token } = JSON.parse(fs.readFileSync(credentials(), 'utf8')) as { access_token: string };
    // Refused for use, but revoked by logout: deleting it alone would leave an exposed token working.
    fs.chmodSync(credentials(), 0o644);
    const answer = await tessera(['logout']);
    expect(answer.status, answer.stderr).toBe(0);
    expect(fs.existsSync(credentials())).toBe(false);
    const refused = await tessera(['organizations', 'list'], { TESSERA_URL: server.url, TESSERA_TOKEN: token });
    expect(refused.status).toBe(4);
    expect((await tessera(['logout'])).stdout).toContain('Not signed in');
  });
});
