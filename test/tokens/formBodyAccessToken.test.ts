import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/server.js';
import { openSession } from '../helpers/quickblox.js';
import { signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * RFC 6750 §2.2: an access token as the `access_token` field of a form body authenticates exactly
 * like `Authorization: Bearer`, only in a single-part `application/x-www-form-urlencoded` body of a
 * method with a body, never with another mechanism, and is never kept as data nor logged.
 */
let w: World;
beforeAll(async () => {
  w = await startWorld({ clock: new ManualClock(), users: { acme: ['alice'] } });
  // Guests may not sign up here, so a user made below was made by whoever the token names.
  await w.asAdmin.DELETE('/{org}/{app}/roles/{role}/permissions', { params: { path: { org: 'acme', app: 'app', role: 'guest' }, query: { permission: 'post:/users' } } });
  expect((await send('POST', '/acme/app/users', form({ username: 'guest', password: 'guest-password' }))).status).toBe(401);
});
afterAll(() => w.server.close());

interface RawAnswer {
  status: number;
  body: { error?: string; error_description?: string; entities?: Record<string, unknown>[] } & Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
}

/** Any method with any body: `fetch` refuses a GET with a body, which is what some tests send. */
function send(method: string, path: string, body: string, type = 'application/x-www-form-urlencoded', headers: Record<string, string> = {}): Promise<RawAnswer> {
  const url = new URL(w.server.url + path);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { method, hostname: url.hostname, port: url.port, path: url.pathname + url.search, headers: { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body: text ? JSON.parse(text) : {}, headers: response.headers }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const storedUser = (username: string) => w.server.deps.db('app_users').where({ username }).first();

describe('an access token in a form body', () => {
  it('creates a user as the admin, and is kept neither in the answer nor in the stored user', async () => {
    const token = w.acme.admin.token;
    const answer = await send('POST', '/acme/app/users', form({ access_token: token, username: 'formed', password: 'formed-password', nickname: 'kept' }));
    expect(answer.status).toBe(200);
    expect(answer.body.entities![0]).toMatchObject({ username: 'formed', nickname: 'kept' });
    expect(JSON.stringify(answer.body)).not.toContain(token);
    const stored = await storedUser('formed');
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain('access_token');
  });

  it('works with a charset in the media type, on the management routes that take a form, and on a POST without a body of its own', async () => {
    const admin = w.acme.admin.token;
    const withCharset = await send('POST', '/acme/app/users', form({ access_token: admin, username: 'charset', password: 'charset-password' }), 'application/x-www-form-urlencoded; charset=utf-8');
    expect(withCharset.status).toBe(200);
    const application = await send('POST', '/management/orgs/acme/apps', form({ access_token: admin, name: 'kiosk' }));
    expect(application.status).toBe(200);
    const apiToken = await send('POST', '/management/orgs/acme/apps/app/api-tokens', form({ access_token: admin, name: 'nightly', access: 'read' }));
    expect(apiToken.status).toBe(200);
    const organization = await send('POST', '/management/orgs', form({ access_token: w.root, organization: 'initech', username: 'initech-admin', email: 'admin@initech.example', password: 'initech-password' }));
    expect(organization.status).toBe(200);
    // An application user's own token, signing out through a form as a browser would post it.
    const alice = await signIn(w.http, w.acme, 'alice');
    expect((await send('POST', '/acme/app/users/me/revoketokens', form({ access_token: alice }))).status).toBe(200);
    expect((await send('POST', '/acme/app/users', form({ access_token: alice, username: 'after', password: 'after-password' }))).body.error).toBe('invalid_token');
  });

  it('follows the rules of the header: an application user is held to their roles, and another organization is 403', async () => {
    const alice = await signIn(w.http, w.acme, 'alice');
    const applications = await send('POST', '/management/orgs/acme/apps', form({ access_token: alice, name: 'not-alices' }));
    expect(applications.status).toBe(403);
    const elsewhere = await send('POST', '/globex/app/users', form({ access_token: w.acme.admin.token, username: 'intruder', password: 'intruder-password' }));
    expect(elsewhere.status).toBe(403);
    expect(await w.server.deps.db('app_users').where({ username: 'intruder' }).first()).toBeUndefined();
  });
});

describe('where a form body does not carry a token', () => {
  it('authenticates nothing in the body of a GET or a DELETE (RFC 6750 §2.2): 401 with the bare challenge', async () => {
    const token = w.acme.admin.token;
    const list = await send('GET', '/acme/app/users', form({ access_token: token }));
    expect(list.status).toBe(401);
    expect(list.headers['www-authenticate']).toBe('Bearer realm="tessera"');
    expect((await send('DELETE', '/acme/app/users/formed', form({ access_token: token }))).status).toBe(401);
    expect(await storedUser('formed')).toBeDefined();
  });

  it('authenticates nothing as a field of a JSON body, nor of a multipart form', async () => {
    const token = w.acme.admin.token;
    const json = await send('POST', '/acme/app/cats', JSON.stringify({ access_token: token, name: 'tom' }), 'application/json');
    expect(json.status).toBe(401);
    const multipart = `--b\r\ncontent-disposition: form-data; name="access_token"\r\n\r\n${token}\r\n--b--\r\n`;
    expect((await send('POST', '/acme/app/users', multipart, 'multipart/form-data; boundary=b')).status).toBe(415);
    expect(await w.server.deps.db('entities').where({ collection: 'cats' }).first()).toBeUndefined();
  });

  it('refuses a token sent in the form and by another mechanism with 400 invalid_request, and creates nothing', async () => {
    const token = w.acme.admin.token;
    const session = await openSession(w.server.url, w.acme, w.clock);
    const fields = form({ access_token: token, username: 'twice', password: 'twice-password' });
    const answers = [
      await send('POST', '/acme/app/users', fields, undefined, { authorization: `Bearer ${token}` }),
      await send('POST', `/acme/app/users?access_token=${token}`, fields),
      await send('POST', '/acme/app/users', fields, undefined, { 'qb-token': session }),
      await send('POST', `/acme/app/users?client_id=${w.acme.app.clientId}&client_secret=${w.acme.app.clientSecret}`, fields),
      await send('POST', '/acme/app/users', `${fields}&access_token=${token}`),
      await send('POST', '/acme/app/users', form({ access_token: '', username: 'twice', password: 'twice-password' })),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
    }
    expect(await storedUser('twice')).toBeUndefined();
  });

  it('refuses a revoked or unknown token with the one 401 invalid_token, and creates nothing', async () => {
    const alice = await signIn(w.http, w.acme, 'alice');
    expect((await send('POST', '/acme/app/users/alice/revoketokens', '', undefined, { authorization: `Bearer ${w.acme.admin.token}` })).status).toBe(200);
    for (const token of [alice, 'tsr_at_never-issued']) {
      const answer = await send('POST', '/acme/app/users', form({ access_token: token, username: 'revoked', password: 'revoked-password' }));
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: 'invalid_token', error_description: 'Unable to authenticate: the access token is not valid' });
    }
    expect(await storedUser('revoked')).toBeUndefined();
  });

  it('never writes the value to the log, whether it authenticated, failed or came with a body the spec refuses', async () => {
    // Not shaped like a Tessera token, so the log's last-resort redaction of token shapes cannot hide it.
    const unknown = 'plain-secret-value-7f3a9c21';
    await send('POST', '/acme/app/users', form({ access_token: unknown, username: 'logged', password: 'logged-password' }));
    await send('POST', '/acme/app/users', form({ access_token: w.acme.admin.token, username: 'x', password: 'short' }));
    await send('POST', '/acme/app/users', form({ access_token: unknown }), undefined, { authorization: `Bearer ${w.acme.admin.token}` });
    const logs = w.server.logText();
    expect(logs).toContain('"status":401');
    expect(logs).not.toContain(unknown);
    expect(logs).not.toContain(w.acme.admin.token);
  });
});
