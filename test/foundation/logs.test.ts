import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm, tessera } from '../helpers/api.js';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
/** Untyped, for what is not an API operation (`/healthz`) and for requests the spec does not allow. */
let http: Client;
let acme: OrganizationFixture;

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  acme = await createOrganization(server.url, 'acme');
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
    const api = tessera(server.url);
    const path = { org: 'acme', app: 'app' };
    await api.GET('/{org}/{app}/users', { params: { path, query: { access_token: acme.admin.token, limit: 1 } } });
    await api.GET('/{org}/{app}/users', { params: { path, query: { client_id: acme.app.clientId, client_secret: acme.app.clientSecret } } });
    // A token by two mechanisms at once is refused (400), and its log line must still hide both.
    await http.get('/acme/app/users', { token: acme.admin.token, headers: { 'qb-token': qbToken } });
    await api.POST('/management/token', { body: { grant_type: 'password', username: acme.admin.username, password: acme.admin.password }, ...asForm });
    // `password` is no parameter of listUsers: a secret where none is expected must not be logged either.
    await http.get(`/acme/app/users?password=${acme.admin.password}`);
    const text = server.logText();
    for (const secret of [acme.admin.token, acme.app.clientSecret, acme.admin.password, qbToken]) expect(text).not.toContain(secret);
    expect(text).toContain('access_token=[REDACTED]&limit=1');
    expect(text).toContain(`client_id=${acme.app.clientId}&client_secret=[REDACTED]`);
  });
});
