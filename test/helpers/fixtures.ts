import type { Client } from './http.js';
import { superuser } from './server.js';

export async function superuserToken(http: Client): Promise<string> {
  const answer = await http.post('/management/token', { json: { grant_type: 'password', ...superuser } });
  if (answer.status !== 200) throw new Error(`superuser login failed: ${answer.status} ${answer.text}`);
  return answer.body.access_token;
}

export interface OrganizationFixture {
  name: string;
  admin: { username: string; email: string; password: string; token: string };
  clientId: string;
  clientSecret: string;
  app: { name: string; clientId: string; clientSecret: string; applicationId: number; authKey: string; authSecret: string };
}

/** An organization with its admin (signed in) and one application besides the sandbox. */
export async function createOrganization(http: Client, name: string, appName = 'app'): Promise<OrganizationFixture> {
  const token = await superuserToken(http);
  const admin = { username: `${name}-admin`, email: `admin@${name}.example`, password: `${name}-password` };
  const org = await http.post('/management/orgs', { token, json: { organization: name, ...admin } });
  if (org.status !== 200) throw new Error(`organization ${name}: ${org.status} ${org.text}`);
  const login = await http.post('/management/token', { json: { grant_type: 'password', username: admin.username, password: admin.password } });
  const adminToken = login.body.access_token as string;
  const app = await http.post(`/management/orgs/${name}/apps`, { token: adminToken, json: { name: appName } });
  if (app.status !== 200) throw new Error(`application ${appName}: ${app.status} ${app.text}`);
  const c = app.body.data.credentials;
  return {
    name,
    admin: { ...admin, token: adminToken },
    clientId: org.body.data.credentials.client_id,
    clientSecret: org.body.data.credentials.client_secret,
    app: { name: appName, clientId: c.client_id, clientSecret: c.client_secret, applicationId: c.application_id, authKey: c.auth_key, authSecret: c.auth_secret },
  };
}
