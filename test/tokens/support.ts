import { afterAll, beforeAll } from 'vitest';
import { tessera } from '../helpers/api.js';
import { createOrganization, superuserToken, type OrganizationFixture } from '../helpers/fixtures.js';
import { client, type Client } from '../helpers/http.js';
import { ManualClock, startTestServer, type TestServer } from '../helpers/server.js';

/** What every token test works with; filled in before the file's first test. */
export interface TokenWorld {
  server: TestServer;
  http: Client;
  /** The server's clock: it moves only when a test moves it. */
  clock: ManualClock;
  /** Two organizations, each with its admin signed in, its client credentials and an application `app`. */
  acme: OrganizationFixture;
  globex: OrganizationFixture;
  /** The superuser's token. */
  root: string;
}

/** A fresh server for one test file, with acme and globex, and `users` in acme's application. */
export function tokenWorld(users: string[] = []): TokenWorld {
  const world = {} as TokenWorld;
  beforeAll(async () => {
    world.clock = new ManualClock();
    world.server = await startTestServer({ clock: world.clock });
    world.http = client(world.server.url);
    world.acme = await createOrganization(world.http, 'acme');
    world.globex = await createOrganization(world.http, 'globex');
    world.root = await superuserToken(world.http);
    for (const name of users) await createAppUser(world.http, world.acme, name);
  });
  afterAll(() => world.server?.close());
  return world;
}

/** `Authorization: Basic` for a client id and secret, each form-urlencoded first (RFC 6749 Appendix B). */
export function basic(clientId: string, clientSecret: string): string {
  const encode = (s: string) => new URLSearchParams({ s }).toString().slice(2);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** An application user of the fixture's application, made by its admin; returns the user's uuid. */
export async function createAppUser(http: Client, org: OrganizationFixture, username: string, app = org.app.name): Promise<string> {
  const { data, response } = await tessera(http.baseUrl, org.admin.token).POST('/{org}/{app}/users', {
    params: { path: { org: org.name, app } },
    body: { username, email: `${username}@users.example`, password: `${username}-password` },
  });
  if (!data) throw new Error(`user ${username}: ${response.status}`);
  return data.entities[0]!.uuid;
}

/** An application user's token from the password grant. */
export async function signIn(http: Client, org: OrganizationFixture, username: string, extra: Record<string, unknown> = {}, app = org.app.name): Promise<string> {
  const answer = await http.post(`/${org.name}/${app}/token`, { json: { grant_type: 'password', username, password: `${username}-password`, ...extra } });
  if (answer.status !== 200) throw new Error(`sign-in of ${username}: ${answer.status} ${answer.text}`);
  return answer.body.access_token;
}

/** An admin's token from the password grant. */
export async function adminSignIn(http: Client, org: OrganizationFixture, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await http.post('/management/token', { json: { grant_type: 'password', username: org.admin.username, password: org.admin.password, ...extra } });
  if (answer.status !== 200) throw new Error(`admin sign-in: ${answer.status} ${answer.text}`);
  return answer.body.access_token;
}
