import { expect } from 'vitest';
import { client, type Answer, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type ManualClock, type TestServer } from '../helpers/server.js';

export interface World {
  server: TestServer;
  http: Client;
  org: OrganizationFixture;
  /** `/<org>/<app>`, the application most tests use (not the sandbox). */
  app: string;
  /** The organization admin's token. */
  admin: string;
  /** Makes an application user (by the admin) and returns its uuid. */
  user(username: string): Promise<string>;
  /** An application user's token from the password grant. */
  signIn(username: string): Promise<string>;
  /** A request as the admin that must succeed; returns its body. */
  asAdmin(method: 'get' | 'post' | 'put' | 'delete', path: string, json?: unknown): Promise<any>;
}

export const passwordOf = (username: string) => `${username}-password`;

export async function world(options: { clock?: ManualClock; organization?: string } = {}): Promise<World> {
  const server = await startTestServer(options.clock ? { clock: options.clock } : {});
  const http = client(server.url);
  const org = await createOrganization(http, options.organization ?? 'acme');
  const app = `/${org.name}/${org.app.name}`;
  const admin = org.admin.token;
  const asAdmin = async (method: 'get' | 'post' | 'put' | 'delete', path: string, json?: unknown) => {
    const answer = await http.call(method.toUpperCase(), path, { token: admin, ...(json !== undefined && { json }) });
    if (answer.status !== 200) throw new Error(`${method} ${path} as the admin: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  return {
    server,
    http,
    org,
    app,
    admin,
    asAdmin,
    user: async (username) => (await asAdmin('post', `${app}/users`, { username, password: passwordOf(username) })).entities[0].uuid,
    signIn: async (username) => {
      const answer = await http.post(`${app}/token`, { json: { grant_type: 'password', username, password: passwordOf(username) } });
      if (answer.status !== 200) throw new Error(`sign-in of ${username}: ${answer.status} ${answer.text}`);
      return answer.body.access_token;
    },
  };
}

/** Checks an answer's status, showing its body when it is not the one expected. */
export function expectStatus(answer: Answer, status: number): void {
  expect(answer.status, `${status} expected, got ${answer.status}: ${answer.text}`).toBe(status);
}
