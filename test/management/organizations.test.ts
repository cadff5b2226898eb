import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera, type Tessera } from '../helpers/api.js';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, superuserToken, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ok } from '../helpers/api.js';

let server: TestServer;
/** Untyped, for the bodies the spec forbids on purpose. */
let http: Client;
let root: string;
/** Typed clients: the superuser's, acme's admin's, and one without a credential. */
let asRoot: Tessera;
let asAcme: Tessera;
let anonymous: Tessera;
let acme: OrganizationFixture;
let globex: OrganizationFixture;

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  root = await superuserToken(server.url);
  acme = await createOrganization(server.url, 'acme');
  globex = await createOrganization(server.url, 'globex');
  asRoot = tessera(server.url, root);
  asAcme = tessera(server.url, acme.admin.token);
  anonymous = tessera(server.url);
});
afterAll(() => server.close());

const newOrg = (name: string) => ({ organization: name, username: `${name}-owner`, email: `owner@${name}.example`, password: 'long-enough-password' });
const org = (org: string) => ({ path: { org } });
/** `GET /management/orgs/{org}` with client credentials in the query string. */
const getWithClient = (name: string, client_id: string, client_secret: string) =>
  anonymous.GET('/management/orgs/{org}', { params: { path: { org: name }, query: { client_id, client_secret } } });

describe('createOrganization', () => {
  it('creates the organization, its owner, client credentials shown once, and a sandbox application', async () => {
    const answer = await asRoot.POST('/management/orgs', { body: newOrg('initech') });
    expect(answer.response.status).toBe(200);
    expect(answer.response.headers.get('cache-control')).toBe('no-store');
    const { organization, owner, credentials } = ok(answer).data;
    expect(organization.name).toBe('initech');
    expect(Object.keys(organization.applications)).toEqual(['initech/sandbox']);
    expect(owner).toMatchObject({ username: 'initech-owner', superuser: false });
    expect(credentials.client_id).toMatch(/^b3U6/);
    expect(credentials.client_secret).toMatch(/^tsr_cs_/);
  });

  it('is refused to an organization admin (403) and to an anonymous caller (401)', async () => {
    const byAdmin = await asAcme.POST('/management/orgs', { body: newOrg('hooli') });
    expect(byAdmin.response.status).toBe(403);
    expect(byAdmin.error?.error).toBe('forbidden');
    const refused = await anonymous.POST('/management/orgs', { body: newOrg('hooli') });
    expect(refused.response.status).toBe(401);
    expect(refused.response.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
  });

  it('answers 409 for a taken organization name, and writes nothing for a taken admin username', async () => {
    expect((await asRoot.POST('/management/orgs', { body: newOrg('acme') })).response.status).toBe(409);
    const clash = await asRoot.POST('/management/orgs', { body: { ...newOrg('umbrella'), username: acme.admin.username } });
    expect(clash.response.status).toBe(409);
    // The organization row must not survive the failed transaction.
    expect((await asRoot.GET('/management/orgs/{org}', { params: org('umbrella') })).response.status).toBe(404);
    expect((await asRoot.POST('/management/orgs', { body: newOrg('umbrella') })).response.status).toBe(200);
  });

  it('says what collided: 409 duplicate_unique_property_exists, for an organization and for an application in one', async () => {
    const organization = await asRoot.POST('/management/orgs', { body: newOrg('acme') });
    expect(organization.error).toMatchObject({
      error: 'duplicate_unique_property_exists',
      error_description: 'An organization with that name, or an admin user with that username or email, already exists',
    });
    const application = await asAcme.POST('/management/orgs/{org}/apps', { params: org('acme'), body: { name: 'sandbox' } });
    expect(application.response.status).toBe(409);
    expect(application.error).toMatchObject({ error: 'duplicate_unique_property_exists', error_description: 'The organization already has an application named sandbox' });
  });

  it('refuses reserved names and malformed fields with 400', async () => {
    for (const name of ['management', 'oauth', 'docs', 'console', 'readyz']) {
      const answer = await asRoot.POST('/management/orgs', { body: newOrg(name) });
      expect(answer.response.status, name).toBe(400);
    }
    // `surprise` is a field the spec forbids (no additional properties): only the untyped client can send it.
    const bad = await http.post('/management/orgs', { token: root, json: { ...newOrg('valid-name'), email: 'not-an-email', surprise: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
    expect(bad.body.error_description).toContain('email');
    expect(bad.body.error_description).toContain('surprise');
  });

  it('lets anyone create an organization when sign-up is enabled', async () => {
    const open = await (await import('../helpers/server.js')).startTestServer({ config: { organizationSignup: true } });
    try {
      const answer = await tessera(open.url).POST('/management/orgs', { body: newOrg('self-serve') });
      expect(answer.response.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});

describe('listOrganizations', () => {
  it('shows an admin only their own organizations, and the superuser all of them', async () => {
    const mine = ok(await asAcme.GET('/management/orgs'));
    expect(mine.data.organizations.map((o) => o.name)).toEqual(['acme']);
    const all = ok(await asRoot.GET('/management/orgs'));
    expect(all.data.organizations.map((o) => o.name)).toEqual(expect.arrayContaining(['acme', 'globex']));
  });

  it("shows an application's own credentials no organization, so not its sibling applications", async () => {
    const tokenOf = async (clientId: string, clientSecret: string) =>
      ok(await anonymous.POST('/{org}/{app}/token', { params: { path: { org: 'acme', app: acme.app.name } }, body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } })).access_token;
    const asApp = tessera(server.url, await tokenOf(acme.app.clientId, acme.app.clientSecret));
    expect(ok(await asApp.GET('/management/orgs')).data.organizations).toEqual([]);
    const asOrgClient = tessera(server.url, await tokenOf(acme.clientId, acme.clientSecret));
    expect(ok(await asOrgClient.GET('/management/orgs')).data.organizations.map((o) => o.name)).toEqual(['acme']);
  });
});

describe('getOrganization', () => {
  it('answers an admin of the organization, its client credentials and the superuser', async () => {
    expect((await asAcme.GET('/management/orgs/{org}', { params: org('acme') })).response.status).toBe(200);
    expect((await getWithClient('acme', acme.clientId, acme.clientSecret)).response.status).toBe(200);
    const byRoot = await asRoot.GET('/management/orgs/{org}', { params: org('acme') });
    expect(byRoot.response.status).toBe(200);
    expect(ok(byRoot).data.organization.name).toBe('acme');
  });

  it('refuses an admin of another organization with 403 and answers 404 for an unknown one', async () => {
    const crossed = await asAcme.GET('/management/orgs/{org}', { params: org(globex.name) });
    expect(crossed.response.status).toBe(403);
    expect((await asRoot.GET('/management/orgs/{org}', { params: org('nosuch') })).response.status).toBe(404);
  });

  it('finds an organization by uuid as well as by name', async () => {
    const byName = ok(await asRoot.GET('/management/orgs/{org}', { params: org('acme') }));
    const byUuid = ok(await asRoot.GET('/management/orgs/{org}', { params: org(byName.data.organization.uuid) }));
    expect(byUuid.data.organization.name).toBe('acme');
  });
});

describe('organization credentials', () => {
  it('shows the client id but never the secret, and rotating the secret retires the old one at once', async () => {
    const shown = await asAcme.GET('/management/orgs/{org}/credentials', { params: org('acme') });
    expect(shown.data?.credentials).toEqual({ client_id: acme.clientId });
    const rotated = await asAcme.POST('/management/orgs/{org}/credentials', { params: org('acme') });
    expect(rotated.response.status).toBe(200);
    const fresh = ok(rotated).credentials.client_secret;
    expect(fresh).not.toBe(acme.clientSecret);
    const old = await getWithClient('acme', acme.clientId, acme.clientSecret);
    expect(old.response.status).toBe(401);
    expect(old.error?.error).toBe('invalid_client');
    expect((await getWithClient('acme', acme.clientId, fresh)).response.status).toBe(200);
  });

  it('revokes the tokens issued to the client when its secret is rotated', async () => {
    const shown = ok(await asAcme.GET('/management/orgs/{org}/credentials', { params: org('acme') }));
    const rotated = ok(await asAcme.POST('/management/orgs/{org}/credentials', { params: org('acme') }));
    const secret = rotated.credentials.client_secret;
    const issued = await anonymous.POST('/management/token', { body: { grant_type: 'client_credentials', client_id: shown.credentials.client_id, client_secret: secret } });
    expect(issued.response.status).toBe(200);
    const asClient = tessera(server.url, ok(issued).access_token);
    expect((await asClient.GET('/management/orgs/{org}', { params: org('acme') })).response.status).toBe(200);
    await asAcme.POST('/management/orgs/{org}/credentials', { params: org('acme') });
    expect((await asClient.GET('/management/orgs/{org}', { params: org('acme') })).response.status).toBe(401);
  });
});
