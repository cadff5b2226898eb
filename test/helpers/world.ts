import type { Clock } from '../../src/clock.js';
import type { Config } from '../../src/config.js';
import { ok, type Credential, type Tessera } from './api.js';
import { acmeApp, createOrganization, superuserToken, type OrganizationFixture } from './fixtures.js';
import { redirectUri, user as oauthUser, type NewClient, type RegisteredClient } from './oauth.js';
import { qb, setAppSessionAccess, type AppSessionAccess } from './quickblox.js';
import { ManualClock, startTestServer, type TestServer } from './server.js';
import { createUser, type UserSpec } from './users.js';
import { client, type Client } from './http.js';

export interface WorldOptions {
  /**
   * The server's clock: a `ManualClock` that stands still unless given. A test that moves time
   * passes its own `ManualClock`; one that needs time to pass by itself passes `systemClock`.
   */
  clock?: Clock;
  /** Application users to make in each organization's application `app`. */
  users?: { acme?: UserSpec[]; globex?: UserSpec[] };
  /** What both applications let a QuickBlox application session do (`appsessionaccess`); the server's default unless given. */
  appSessionAccess?: AppSessionAccess;
  /**
   * What the OAuth tests work with: three OAuth clients of acme's application (`confidential`,
   * `thirdParty` and `publicClient`), and the user they sign in as (`user` of `oauth.ts`).
   */
  oauth?: boolean;
  /** Settings besides the test server's defaults (`startTestServer`). */
  config?: Partial<Config>;
}

/** One test file's server and what lives on it. */
export interface World {
  server: TestServer;
  /** The untyped client: only for requests that break the spec on purpose. */
  http: Client;
  /** A typed client presenting `credential` (see `Credential`), or nothing; it keeps each answer's bytes for `wireText`. */
  api(credential?: Credential): Tessera;
  /** The server's clock (`options.clock`). */
  clock: Clock;
  /** Two organizations, each with its admin signed in, its client credentials and an application `app`. */
  acme: OrganizationFixture;
  globex: OrganizationFixture;
  /** The superuser's token. */
  root: string;
  /** A typed client signed in as acme's admin. */
  asAdmin: Tessera;
  /** The users made from `users`, by username: their QuickBlox ids, and their Usergrid uuids. */
  ids: Record<string, number>;
  uuids: Record<string, string>;
}

/** A world with `oauth: true`. */
export interface OAuthWorld extends World {
  /** The issuer as the server reports it (its own loopback address). */
  issuer: string;
  /** A first-party confidential client with every grant (`cli`/`s3cret` of the checklist). */
  confidential: RegisteredClient;
  /** A third-party confidential client with the code and refresh grants only. */
  thirdParty: RegisteredClient;
  /** A public client (no secret; PKCE required). */
  publicClient: RegisteredClient;
  /** Registers another client of acme's application. */
  register(body: NewClient): Promise<RegisteredClient>;
}

/**
 * A fresh server for one test file, on a database of its own: the organizations acme and globex,
 * each with an application `app`, and what `options` asks for besides. The caller closes it
 * (`afterAll(() => world.server.close())`).
 */
export function startWorld(options: WorldOptions & { oauth: true }): Promise<OAuthWorld>;
export function startWorld(options?: WorldOptions): Promise<World>;
export async function startWorld(options: WorldOptions = {}): Promise<World | OAuthWorld> {
  const clock = options.clock ?? new ManualClock();
  const server = await startTestServer({ clock, ...(options.config && { config: options.config }) });
  const api = (credential?: Credential) => qb(server.url, credential);
  const acme = await createOrganization(server.url, 'acme');
  const world: World = {
    server,
    http: client(server.url),
    api,
    clock,
    acme,
    globex: await createOrganization(server.url, 'globex'),
    root: await superuserToken(server.url),
    asAdmin: api(acme.admin.token),
    ids: {},
    uuids: {},
  };
  const users = { acme: [...(options.oauth ? [oauthUser] : []), ...(options.users?.acme ?? [])], globex: options.users?.globex ?? [] };
  for (const org of ['acme', 'globex'] as const) {
    for (const user of users[org]) {
      const username = typeof user === 'string' ? user : user.username;
      ({ id: world.ids[username], uuid: world.uuids[username] } = await createUser(server.url, world[org], user));
    }
    if (options.appSessionAccess) await setAppSessionAccess(server.url, world[org], options.appSessionAccess);
  }
  return options.oauth ? withOAuthClients(world) : world;
}

async function withOAuthClients(world: World): Promise<OAuthWorld> {
  const register = (body: NewClient): Promise<RegisteredClient> => ok(world.asAdmin.POST('/management/orgs/{org}/apps/{app}/clients', { params: { path: acmeApp }, body }));
  return {
    ...world,
    issuer: world.server.url,
    register,
    confidential: await register({
      name: 'Acme web', redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token', 'password', 'client_credentials'], first_party: true,
    }),
    thirdParty: await register({ name: 'Partner app', redirect_uris: [redirectUri, 'https://client.example/other'], token_endpoint_auth_method: 'client_secret_post' }),
    publicClient: await register({ name: 'Acme mobile', redirect_uris: ['http://127.0.0.1:51000/callback'], token_endpoint_auth_method: 'none' }),
  };
}
