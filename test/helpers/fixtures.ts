import { tessera } from './api.js';
import { superuser } from './server.js';
import type { Client } from './http.js';

// Fixtures go through the typed client, so they break at compile time when the spec changes under them.

export function baseUrlOf(http: Client | string): string {
  return typeof http === 'string' ? http : http.baseUrl;
}

export async function superuserToken(http: Client | string): Promise<string> {
  const { data, error, response } = await tessera(baseUrlOf(http)).POST('/management/token', { body: { grant_type: 'password', ...superuser } });
  if (!data) throw new Error(`superuser login failed: ${response.status} ${JSON.stringify(error)}`);
  return data.access_token;
}

/** The path parameters that name an application: `{ org: 'acme', app: 'app' }`. */
export interface AppParams {
  org: string;
  app: string;
}

/** acme's application `app`, where most tests work. */
export const acmeApp: AppParams = { org: 'acme', app: 'app' };

export interface OrganizationFixture {
  name: string;
  admin: { username: string; email: string; password: string; token: string };
  clientId: string;
  clientSecret: string;
  app: { name: string; clientId: string; clientSecret: string; applicationId: number; authKey: string; authSecret: string };
}

/** An organization with its admin (signed in) and one application besides the sandbox. */
export async function createOrganization(http: Client | string, name: string, appName = 'app'): Promise<OrganizationFixture> {
  const baseUrl = baseUrlOf(http);
  const root = tessera(baseUrl, await superuserToken(baseUrl));
  const admin = { username: `${name}-admin`, email: `admin@${name}.example`, password: `${name}-password` };
  const org = await root.POST('/management/orgs', { body: { organization: name, ...admin } });
  if (!org.data) throw new Error(`organization ${name}: ${org.response.status} ${JSON.stringify(org.error)}`);
  const login = await tessera(baseUrl).POST('/management/token', { body: { grant_type: 'password', username: admin.username, password: admin.password } });
  if (!login.data) throw new Error(`admin login: ${login.response.status}`);
  const adminToken = login.data.access_token;
  const app = await tessera(baseUrl, adminToken).POST('/management/orgs/{org}/apps', { params: { path: { org: name } }, body: { name: appName } });
  if (!app.data) throw new Error(`application ${appName}: ${app.response.status} ${JSON.stringify(app.error)}`);
  const c = app.data.data.credentials;
  return {
    name,
    admin: { ...admin, token: adminToken },
    clientId: org.data.data.credentials.client_id,
    clientSecret: org.data.data.credentials.client_secret,
    app: { name: appName, clientId: c.client_id, clientSecret: c.client_secret, applicationId: c.application_id, authKey: c.auth_key, authSecret: c.auth_secret },
  };
}
