import { createHmac } from 'node:crypto';
import type { Clock } from '../../src/clock.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { client, type Answer, type Client, type RequestOptions } from '../helpers/http.js';
import { ManualClock, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * A client's side of QuickBlox's session protocol, written from the reference (§2), not from the
 * server's code: the sorted `name=value` string and its HMAC, computed here independently.
 */
export function sign(params: Record<string, string>, authSecret: string, hash: 'sha1' | 'sha256' = 'sha1'): string {
  const message = Object.entries(params)
    .map(([name, value]) => `${name}=${value}`)
    .sort()
    .join('&');
  return createHmac(hash, authSecret).update(message).digest('hex');
}

let nonce = 0;

export interface SessionRequestOptions {
  /** Signs in a user at once: `user[login]` (or `user[email]`) and `user[password]`. */
  user?: { login?: string; email?: string; password: string };
  hash?: 'sha1' | 'sha256';
  /** Unix seconds; the clock's time by default. */
  timestamp?: number;
  nonce?: number;
  authSecret?: string;
}

/** The form fields of a signed `POST /session.json` for the fixture's application, bracket keys and all. */
export function sessionForm(org: OrganizationFixture, clock: Clock, options: SessionRequestOptions = {}): Record<string, string> {
  const params: Record<string, string> = {
    application_id: String(org.app.applicationId),
    auth_key: org.app.authKey,
    nonce: String(options.nonce ?? (nonce = (nonce + 1) % 10000)),
    timestamp: String(options.timestamp ?? Math.floor(clock.now() / 1000)),
  };
  if (options.user?.login !== undefined) params['user[login]'] = options.user.login;
  if (options.user?.email !== undefined) params['user[email]'] = options.user.email;
  if (options.user) params['user[password]'] = options.user.password;
  return { ...params, signature: sign(params, options.authSecret ?? org.app.authSecret, options.hash) };
}

/** Opens a session and returns its token; fails the test when the server refuses. */
export async function openSession(http: Client, org: OrganizationFixture, clock: Clock, options: SessionRequestOptions = {}): Promise<string> {
  const answer = await http.post('/session.json', { form: sessionForm(org, clock, options) });
  if (answer.status !== 201) throw new Error(`POST /session.json answered ${answer.status} ${answer.text}`);
  return answer.body.session.token as string;
}

/** Requests carrying `QB-Token`, as the SDK sends them. */
export function withSession(http: Client, token: string) {
  const headers = (options: RequestOptions = {}) => ({ ...options, headers: { ...options.headers, 'QB-Token': token } });
  return {
    get: <T = any>(path: string, options?: RequestOptions): Promise<Answer<T>> => http.get<T>(path, headers(options)),
    post: <T = any>(path: string, options?: RequestOptions): Promise<Answer<T>> => http.post<T>(path, headers(options)),
    put: <T = any>(path: string, options?: RequestOptions): Promise<Answer<T>> => http.put<T>(path, headers(options)),
    delete: <T = any>(path: string, options?: RequestOptions): Promise<Answer<T>> => http.delete<T>(path, headers(options)),
  };
}

/** `YYYY-MM-DD HH:MM:SS UTC`, computed here from a time, to compare with the header. */
export function expectedExpirationDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`;
}

export const sessionNotFound = { errors: { base: ['Required session does not exist'] } };
export const needUser = { errors: { base: ['Forbidden. Need user.'] } };

/** An application user made by the organization's admin (password `<username>-password`); returns the user's id. */
export async function createUser(http: Client, org: OrganizationFixture, username: string, extra: Record<string, string> = {}): Promise<number> {
  const answer = await http.post(`/${org.name}/${org.app.name}/users`, {
    token: org.admin.token,
    json: { username, email: `${username}@users.example`, password: `${username}-password`, ...extra },
  });
  if (answer.status !== 200) throw new Error(`user ${username}: ${answer.status} ${answer.text}`);
  return answer.body.entities[0].id as number;
}

export interface QuickBloxWorld {
  server: TestServer;
  http: Client;
  clock: ManualClock;
  /** Two organizations, each with an application called `app`. */
  acme: OrganizationFixture;
  globex: OrganizationFixture;
  /** The ids of the users made for the test file, by username. */
  ids: Record<string, number>;
}

/** A username, or a username and more properties. */
type UserSpec = string | [string, Record<string, string>];

/**
 * One test file's server: a fresh database, a manual clock, the organizations acme and globex, and
 * the users asked for in each (password `<username>-password`).
 */
export async function startWorld(users: { acme?: UserSpec[]; globex?: UserSpec[] } = {}): Promise<QuickBloxWorld> {
  const clock = new ManualClock();
  const server = await startTestServer({ clock });
  const http = client(server.url);
  const world: QuickBloxWorld = { server, http, clock, acme: await createOrganization(http, 'acme'), globex: await createOrganization(http, 'globex'), ids: {} };
  for (const org of ['acme', 'globex'] as const) {
    for (const spec of users[org] ?? []) {
      const [username, extra] = typeof spec === 'string' ? [spec, {}] : spec;
      world.ids[username] = await createUser(http, world[org], username, extra);
    }
  }
  return world;
}
