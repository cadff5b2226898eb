import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let http: Client;
let acme: OrganizationFixture;

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  acme = await createOrganization(http, 'acme');
});
afterAll(() => server.close());

describe('structured logs', () => {
  it('write one line per request with a request id, status and time', async () => {
    const answer = await http.get('/healthz', { headers: { 'x-request-id': 'trace-me-123' } });
    expect(answer.headers.get('x-request-id')).toBe('trace-me-123');
    const line = server.logs.find((l) => l.requestId === 'trace-me-123');
    expect(line).toMatchObject({ msg: 'request', method: 'GET', url: '/healthz', status: 200 });
    expect(line?.ms).toEqual(expect.any(Number));
  });

  it('never contain a credential, wherever it was sent', async () => {
    const qbToken = 'a'.repeat(40);
    await http.get(`/acme/app/users?access_token=${acme.admin.token}&limit=1`);
    await http.get(`/acme/app/users?client_id=${acme.app.clientId}&client_secret=${acme.app.clientSecret}`);
    await http.get('/acme/app/users', { token: acme.admin.token, headers: { 'qb-token': qbToken } });
    await http.post('/management/token', { form: { grant_type: 'password', username: acme.admin.username, password: acme.admin.password } });
    await http.get(`/acme/app/users?password=${acme.admin.password}`);
    const text = server.logText();
    for (const secret of [acme.admin.token, acme.app.clientSecret, acme.admin.password, qbToken]) expect(text).not.toContain(secret);
    expect(text).toContain('access_token=[REDACTED]&limit=1');
    expect(text).toContain(`client_id=${acme.app.clientId}&client_secret=[REDACTED]`);
  });
});
