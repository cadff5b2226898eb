import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Names every plain JavaScript object answers to: a lookup of user input in one must still find nothing. */
const inherited = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

let server: TestServer;
let http: Client;
let acme: OrganizationFixture;

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  acme = await createOrganization(server.url, 'acme');
});
afterAll(() => server.close());

describe('names that every JavaScript object has', () => {
  it.each(inherited)('are no reference page asset: /docs/%s is 404', async (name) => {
    const answer = await http.get(`/docs/${name}`);
    expect(answer.status, answer.text).toBe(404);
  });

  it.each(inherited)('are no OAuth grant type: grant_type=%s is unsupported_grant_type', async (name) => {
    const answer = await http.post('/oauth/token', { form: { grant_type: name, client_id: 'x' } });
    expect(answer.status, answer.text).toBe(400);
    expect(answer.body.error).toBe('unsupported_grant_type');
  });

  it.each(inherited)('are no Usergrid grant type: grant_type=%s is refused with 400 on both token routes', async (name) => {
    for (const path of ['/management/token', '/acme/app/token']) {
      const answer = await http.post(path, { json: { grant_type: name, username: 'u', password: 'p' } });
      expect(answer.status, `${path} ${answer.text}`).toBe(400);
    }
  });

  it.each(inherited)('are no OAuth response type, PKCE method or scope: %s on /oauth/authorize is no 500', async (name) => {
    for (const query of [`response_type=${name}`, `response_type=code&code_challenge=${'a'.repeat(43)}&code_challenge_method=${name}`, `response_type=code&scope=${name}`]) {
      const answer = await http.get(`/oauth/authorize?client_id=${acme.app.clientId}&${query}`);
      expect(answer.status, `${query} ${answer.text}`).toBeLessThan(500);
    }
  });

  it.each(inherited)('are no field to complain about: a body field named %s gets a 400, not a 500', async (name) => {
    const raw = { body: `{"${name}": 1, "username": 5}`, type: 'application/json' };
    for (const path of ['/acme/app/users', '/management/token', '/oauth/token']) {
      const answer = await http.post(path, { raw, token: acme.admin.token });
      expect(answer.status, `${path} ${answer.text}`).toBeLessThan(500);
    }
  });

  it.each(inherited)('are ordinary names for collections, roles and custom object classes: %s is no 500', async (name) => {
    for (const path of [`/acme/app/${name}`, `/acme/app/roles/${name}`, `/acme/app/roles/${name}/permissions`, `/acme/app/users/${name}`, `/acme/app/groups/${name}`, `/management/orgs/${name}`, `/${name}/app/users`, `/acme/${name}/users`]) {
      const answer = await http.get(path, { token: acme.admin.token });
      expect(answer.status, `${path} ${answer.text}`).toBeLessThan(500);
    }
  });

  it.each(inherited)('are no QuickBlox field or class: %s in a session request or a custom object path is no 500', async (name) => {
    const { applicationId, authKey } = acme.app;
    const session = { application_id: String(applicationId), auth_key: authKey, nonce: '1', timestamp: '1', signature: 'a'.repeat(40) };
    const answers = [
      await http.post('/session.json', { form: { ...session, [name]: '1', [`user[${name}]`]: '1' } }),
      await http.post('/session.json', { raw: { body: JSON.stringify({ ...session, user: { login: 'a', password: 'b' } }).replace('"user"', `"${name}"`), type: 'application/json' } }),
      await http.get(`/data/${name}.json`, { headers: { 'qb-token': 'b'.repeat(40) } }),
      await http.post(`/data/${name}.json`, { json: { [name]: 1 }, headers: { 'qb-token': 'b'.repeat(40) } }),
    ];
    for (const answer of answers) expect(answer.status, answer.text).toBeLessThan(500);
  });
});
