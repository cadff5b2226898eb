import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, superuserToken, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let http: Client;
let root: string;
let acme: OrganizationFixture;
let globex: OrganizationFixture;

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  root = await superuserToken(http);
  acme = await createOrganization(http, 'acme');
  globex = await createOrganization(http, 'globex');
});
afterAll(() => server.close());

const newOrg = (name: string) => ({ organization: name, username: `${name}-owner`, email: `owner@${name}.example`, password: 'long-enough-password' });

describe('createOrganization', () => {
  it('creates the organization, its owner, client credentials shown once, and a sandbox application', async () => {
    const answer = await http.post('/management/orgs', { token: root, json: newOrg('initech') });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const { organization, owner, credentials } = answer.body.data;
    expect(organization.name).toBe('initech');
    expect(Object.keys(organization.applications)).toEqual(['initech/sandbox']);
    expect(owner).toMatchObject({ username: 'initech-owner', superuser: false });
    expect(credentials.client_id).toMatch(/^b3U6/);
    expect(credentials.client_secret).toMatch(/^tsr_cs_/);
  });

  it('is refused to an organization admin (403) and to an anonymous caller (401)', async () => {
    const byAdmin = await http.post('/management/orgs', { token: acme.admin.token, json: newOrg('hooli') });
    expect(byAdmin.status).toBe(403);
    expect(byAdmin.body.error).toBe('forbidden');
    const anonymous = await http.post('/management/orgs', { json: newOrg('hooli') });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
  });

  it('answers 409 for a taken organization name, and writes nothing for a taken admin username', async () => {
    expect((await http.post('/management/orgs', { token: root, json: newOrg('acme') })).status).toBe(409);
    const clash = await http.post('/management/orgs', { token: root, json: { ...newOrg('umbrella'), username: acme.admin.username } });
    expect(clash.status).toBe(409);
    // The organization row must not survive the failed transaction.
    expect((await http.get('/management/orgs/umbrella', { token: root })).status).toBe(404);
    expect((await http.post('/management/orgs', { token: root, json: newOrg('umbrella') })).status).toBe(200);
  });

  it('refuses reserved names and malformed fields with 400', async () => {
    for (const name of ['management', 'oauth', 'docs']) {
      const answer = await http.post('/management/orgs', { token: root, json: newOrg(name) });
      expect(answer.status, name).toBe(400);
    }
    const bad = await http.post('/management/orgs', { token: root, json: { ...newOrg('valid-name'), email: 'not-an-email', surprise: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
    expect(bad.body.error_description).toContain('email');
    expect(bad.body.error_description).toContain('surprise');
  });

  it('lets anyone create an organization when sign-up is enabled', async () => {
    const open = await (await import('../helpers/server.js')).startTestServer({ config: { organizationSignup: true } });
    try {
      const answer = await client(open.url).post('/management/orgs', { json: newOrg('self-serve') });
      expect(answer.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('listOrganizations', () => {
  it('shows an admin only their own organizations, and the superuser all of them', async () => {
    const mine = await http.get('/management/orgs', { token: acme.admin.token });
    expect(mine.body.data.organizations.map((o: { name: string }) => o.name)).toEqual(['acme']);
    const all = await http.get('/management/orgs', { token: root });
    expect(all.body.data.organizations.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['acme', 'globex']));
  });
});

describe('getOrganization', () => {
  it('answers an admin of the organization, its client credentials and the superuser', async () => {
    expect((await http.get('/management/orgs/acme', { token: acme.admin.token })).status).toBe(200);
    expect((await http.get(`/management/orgs/acme?client_id=${acme.clientId}&client_secret=${acme.clientSecret}`)).status).toBe(200);
    const byRoot = await http.get('/management/orgs/acme', { token: root });
    expect(byRoot.status).toBe(200);
    expect(byRoot.body.data.organization.name).toBe('acme');
  });

  it('refuses an admin of another organization with 403 and answers 404 for an unknown one', async () => {
    const crossed = await http.get('/management/orgs/globex', { token: acme.admin.token });
    expect(crossed.status).toBe(403);
    expect((await http.get('/management/orgs/nosuch', { token: root })).status).toBe(404);
  });

  it('finds an organization by uuid as well as by name', async () => {
    const byName = await http.get('/management/orgs/acme', { token: root });
    const byUuid = await http.get(`/management/orgs/${byName.body.data.organization.uuid}`, { token: root });
    expect(byUuid.body.data.organization.name).toBe('acme');
  });
});

describe('organization credentials', () => {
  it('shows the client id but never the secret, and rotating the secret retires the old one at once', async () => {
    const shown = await http.get('/management/orgs/acme/credentials', { token: acme.admin.token });
    expect(shown.body.credentials).toEqual({ client_id: acme.clientId });
    const rotated = await http.post('/management/orgs/acme/credentials', { token: acme.admin.token });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.credentials.client_secret as string;
    expect(fresh).not.toBe(acme.clientSecret);
    const old = await http.get(`/management/orgs/acme?client_id=${acme.clientId}&client_secret=${acme.clientSecret}`);
    expect(old.status).toBe(401);
    expect(old.body.error).toBe('invalid_client');
    expect((await http.get(`/management/orgs/acme?client_id=${acme.clientId}&client_secret=${fresh}`)).status).toBe(200);
  });

  it('revokes the tokens issued to the client when its secret is rotated', async () => {
    const shown = await http.get('/management/orgs/acme/credentials', { token: acme.admin.token });
    const rotated = await http.post('/management/orgs/acme/credentials', { token: acme.admin.token });
    const secret = rotated.body.credentials.client_secret as string;
    const issued = await http.post('/management/token', { json: { grant_type: 'client_credentials', client_id: shown.body.credentials.client_id, client_secret: secret } });
    expect(issued.status).toBe(200);
    expect((await http.get('/management/orgs/acme', { token: issued.body.access_token })).status).toBe(200);
    await http.post('/management/orgs/acme/credentials', { token: acme.admin.token });
    expect((await http.get('/management/orgs/acme', { token: issued.body.access_token })).status).toBe(401);
  });
});
