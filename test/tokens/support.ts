import { afterAll, beforeAll } from 'vitest';
import type { components } from '../../generated/openapi.js';
import { tessera, type Credential, type Tessera } from '../helpers/api.js';
import { createOrganization, superuserToken, type OrganizationFixture } from '../helpers/fixtures.js';
import { client, type Client } from '../helpers/http.js';
import { ManualClock, startTestServer, type TestServer } from '../helpers/server.js';

/** What every token test works with; filled in before the file's first test. */
export interface TokenWorld {
  server: TestServer;
  /** The untyped client, only for requests that break the spec on purpose. */
  http: Client;
  /** A client typed from the spec, presenting `credential` (a bearer token, or see `Credential`), or nothing. */
  api(credential?: Credential): Tessera;
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
  const world = { api: (credential?: Credential) => tessera(world.server.url, credential) } as TokenWorld;
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

/** The path parameters of acme's application `app`, where most token tests work. */
export const acmeApp: { org: string; app: string } = { org: 'acme', app: 'app' };

/** The body of a Usergrid token request, as the spec types it. */
export type TokenRequest = components['schemas']['TokenRequest'];

/**
 * The answer of a token endpoint that carries `kind` (`user`, `organization` or `application`):
 * the spec answers one of three shapes, and a test that knows which one it asked for reads that one.
 */
export function issued<T extends object, K extends string>(data: T | undefined, kind: K): Extract<T, Record<K, unknown>> {
  if (data !== undefined && carries(data, kind)) return data;
  throw new Error(`expected a token answer with ${kind}, got ${JSON.stringify(data)}`);
}
function carries<T extends object, K extends string>(data: T, key: K): data is Extract<T, Record<K, unknown>> {
  return key in data;
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
export async function signIn(http: Client, org: OrganizationFixture, username: string, extra: TokenRequest = {}, app = org.app.name): Promise<string> {
  const { data, error, response } = await tessera(http.baseUrl).POST('/{org}/{app}/token', {
    params: { path: { org: org.name, app } },
    body: { grant_type: 'password', username, password: `${username}-password`, ...extra },
  });
  if (!data) throw new Error(`sign-in of ${username}: ${response.status} ${JSON.stringify(error)}`);
  return data.access_token;
}

/** An admin's token from the password grant. */
export async function adminSignIn(http: Client, org: OrganizationFixture, extra: TokenRequest = {}): Promise<string> {
  const { data, error, response } = await tessera(http.baseUrl).POST('/management/token', {
    body: { grant_type: 'password', username: org.admin.username, password: org.admin.password, ...extra },
  });
  if (!data) throw new Error(`admin sign-in: ${response.status} ${JSON.stringify(error)}`);
  return data.access_token;
}
