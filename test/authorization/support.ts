import { expect } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { ok as answered, tessera, type Credential, type Tessera, type TypedAnswer } from '../helpers/api.js';
import { client, type Answer, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type ManualClock, type TestServer } from '../helpers/server.js';
import { sign } from '../quickblox/support.js';

/** The path parameters that name an application: `{ org: 'acme', app: 'app' }`. */
export interface AppParams {
  org: string;
  app: string;
}

export interface World {
  server: TestServer;
  /** The untyped client: only for requests that break the spec on purpose. */
  http: Client;
  org: OrganizationFixture;
  /** The application most tests use (not the sandbox), as path parameters. */
  app: AppParams;
  /** `/<org>/<app>`, the same application for the untyped client. */
  appPath: string;
  /** The organization admin's token. */
  adminToken: string;
  /** A typed client signed in as the organization admin. */
  asAdmin: Tessera;
  /** A typed client presenting this credential; without one, an anonymous caller. */
  api(credential?: Credential): Tessera;
  /** Makes an application user (by the admin) and returns its uuid. */
  user(username: string, app?: AppParams): Promise<string>;
  /** An application user's token from the password grant. */
  signIn(username: string, app?: AppParams): Promise<string>;
}

export const passwordOf = (username: string) => `${username}-password`;

/**
 * Awaits a typed call that must succeed (200 unless told otherwise) and returns its typed body;
 * any other answer fails the test with the body the server sent.
 */
export async function ok<T>(call: Promise<TypedAnswer<T>>, status = 200): Promise<T> {
  return answered(await call, status);
}

/** The first entity of an answer, failing the test when there is none. */
export function first<T>(entities: readonly T[]): T {
  const [entity] = entities;
  if (entity === undefined) throw new Error('an entity expected, the answer had none');
  return entity;
}

export async function world(options: { clock?: ManualClock; organization?: string } = {}): Promise<World> {
  const server = await startTestServer(options.clock ? { clock: options.clock } : {});
  const org = await createOrganization(server.url, options.organization ?? 'acme');
  const app = { org: org.name, app: org.app.name };
  const api = (credential?: Credential) => tessera(server.url, credential);
  const asAdmin = api(org.admin.token);
  return {
    server,
    http: client(server.url),
    org,
    app,
    appPath: `/${org.name}/${org.app.name}`,
    adminToken: org.admin.token,
    asAdmin,
    api,
    user: async (username, where = app) =>
      first((await ok(asAdmin.POST('/{org}/{app}/users', { params: { path: where }, body: { username, password: passwordOf(username) } }))).entities).uuid,
    signIn: async (username, where = app) =>
      (await ok(api().POST('/{org}/{app}/token', { params: { path: where }, body: { grant_type: 'password', username, password: passwordOf(username) } }))).access_token,
  };
}

/** Checks the status of an answer, typed or raw, showing its body when it is not the one expected. */
export function expectStatus(answer: Answer | TypedAnswer<unknown>, status: number): void {
  const [actual, body] = 'response' in answer ? [answer.response.status, JSON.stringify(answer.error ?? answer.data)] : [answer.status, answer.text];
  expect(actual, `${status} expected, got ${actual}: ${body}`).toBe(status);
}

let nonce = 0;

/**
 * Opens a QuickBlox session for an application (a user session when `user` is given) and returns
 * its token. The request is the spec's JSON form of `POST /session.json`; the signature covers
 * the nested user fields flattened as `user[login]=…`, as QuickBlox's SDKs sign them.
 */
export async function openSession(
  baseUrl: string,
  app: { applicationId: number; authKey: string; authSecret: string },
  clock: Clock,
  user?: { login: string; password: string },
): Promise<string> {
  const fields = { application_id: app.applicationId, auth_key: app.authKey, nonce: ++nonce, timestamp: Math.floor(clock.now() / 1000) };
  const signed: Record<string, string> = {
    ...Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, String(value)])),
    ...(user && { 'user[login]': user.login, 'user[password]': user.password }),
  };
  const session = await ok(tessera(baseUrl).POST('/session.json', { body: { ...fields, ...(user && { user }), signature: sign(signed, app.authSecret) } }), 201);
  return session.session.token;
}
