import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera, type Tessera } from '../helpers/api.js';
import { client, type Client } from '../helpers/http.js';
import { createOrganization } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
/** Untyped: most requests here break the spec on purpose, which is what these tests are about. */
let http: Client;
/** The admin's typed client, for the requests the spec allows. */
let api: Tessera;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ config: { bodyLimit: 4096 } });
  http = client(server.url);
  token = (await createOrganization(http, 'acme')).admin.token;
  api = tessera(server.url, token);
});
afterAll(() => server.close());

describe('errors in the route family shape', () => {
  it('answers an unknown path with 404 in the Usergrid shape, and an unknown .json path in the QuickBlox shape', async () => {
    const usergrid = await http.get('/no/such/path/here/at/all');
    expect(usergrid.status).toBe(404);
    expect(usergrid.body).toEqual({ error: 'service_resource_not_found', error_description: 'No such resource', timestamp: expect.any(Number), duration: expect.any(Number) });
    const quickblox = await http.get('/nothing-here.json');
    expect(quickblox.status).toBe(404);
    expect(quickblox.body).toEqual({ errors: { base: ['No such resource'] } });
    const oauth = await http.get('/oauth/nothing-here');
    expect(oauth.body).toEqual({ error: 'service_resource_not_found', error_description: 'No such resource' });
  });

  it('answers a method the path does not have with 405 and Allow, not a looser path', async () => {
    // /management/orgs/{org} also matches /{org}/{app}/{collection}; the more specific path decides.
    const answer = await http.delete('/management/orgs/acme', { token });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET');
    expect(answer.body.error).toBe('method_not_allowed');
  });

  it('answers a body over the limit with 413 and writes nothing', async () => {
    // The spec allows this body; only the server's configured limit (4 KiB here) refuses it.
    const cats = { org: 'acme', app: 'app', collection: 'cats' };
    const answer = await api.POST('/{org}/{app}/{collection}', { params: { path: cats }, body: { name: 'big', blob: 'x'.repeat(8192) } });
    expect(answer.response.status).toBe(413);
    expect(answer.error?.error).toBe('request_too_large');
    expect((await api.GET('/{org}/{app}/{collection}/{entity}', { params: { path: { ...cats, entity: 'big' } } })).response.status).toBe(404);
  });

  it('answers a body of a type the operation does not take with 415', async () => {
    const answer = await http.post('/acme/app/cats', { token, raw: { body: 'name=felix', type: 'text/plain' } });
    expect(answer.status).toBe(415);
    expect(answer.body.error).toBe('unsupported_media_type');
    const formWhereJsonOnly = await http.put('/management/orgs/acme/apps/app', { token, form: { sessionttl: '600' } });
    expect(formWhereJsonOnly.status).toBe(415);
  });

  it('answers malformed JSON with 400 invalid_request', async () => {
    const answer = await http.post('/management/orgs/acme/apps', { token, raw: { body: '{"name":', type: 'application/json' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('answers unknown fields where the schema forbids them with 400 naming the field', async () => {
    const answer = await http.post('/management/orgs/acme/apps', { token, json: { name: 'shop', colour: 'red' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toContain('colour');
  });

  it('answers a bad token with 401 and an RFC 6750 challenge', async () => {
    const answer = await tessera(server.url, 'tsr_at_not-a-real-token').GET('/management/orgs');
    expect(answer.response.status).toBe(401);
    expect(answer.error?.error).toBe('invalid_token');
    expect(answer.response.headers.get('www-authenticate')).toMatch(/^Bearer realm="tessera", error="invalid_token"/);
  });

  it('answers a malformed Authorization header with 400 invalid_request', async () => {
    const answer = await http.get('/management/orgs', { headers: { authorization: 'Bearer two tokens' } });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('refuses a token sent by two mechanisms at once with 400', async () => {
    const answer = await http.get(`/management/orgs?access_token=${token}`, { token });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_request');
  });

  it('never answers 500 to a request with odd bytes in it', async () => {
    const answers = await Promise.all([
      http.get('/management/orgs/%E0%A4%A'),
      http.get('/acme/app/cats/%00'),
      http.post('/acme/app/cats', { token, raw: { body: '\u0000\u0001', type: 'application/json' } }),
      http.post('/management/token', { raw: { body: 'grant_type=password&username[$gt]=x&password=y', type: 'application/x-www-form-urlencoded' } }),
    ]);
    for (const answer of answers) expect(answer.status, answer.text).toBeLessThan(500);
  });
});
