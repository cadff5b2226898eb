import { createHmac } from 'node:crypto';
import type { Middleware } from 'openapi-fetch';
import type { components } from '../../generated/openapi.js';
import type { Clock } from '../../src/clock.js';
import { ok, tessera, type Credential, type Tessera } from './api.js';
import { baseUrlOf, type OrganizationFixture } from './fixtures.js';
import type { Client } from './http.js';

export type SessionRequest = components['schemas']['QuickBloxSessionRequest'];
export type QuickBloxErrors = components['schemas']['QuickBloxErrors'];

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

/**
 * A body as QuickBlox clients write it in a form, and sign it: nested fields under bracket keys
 * (`user[login]`), every value a string.
 */
export function formOf(body: object, prefix = ''): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    const key = prefix ? `${prefix}[${name}]` : name;
    if (value === undefined) continue;
    if (typeof value === 'object' && value !== null) Object.assign(form, formOf(value, key));
    else form[key] = String(value);
  }
  return form;
}

/**
 * Spread into a typed call to send its body as a QuickBlox form: `asForm` of `api.ts` writes flat
 * keys only, and the spec's nested `user` goes on the wire as `user[login]=…`.
 */
export const asQuickBloxForm = {
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  bodySerializer: (body: unknown) => new URLSearchParams(typeof body === 'object' && body !== null ? formOf(body) : {}).toString(),
};

const wireTexts = new WeakMap<Response, string>();
/** openapi-fetch hands back only the parsed body; some tests are about the bytes themselves. */
const keepWireText: Middleware = {
  async onResponse({ response }) {
    wireTexts.set(response, await response.clone().text());
  },
};

/** The body of an answer of a `qb()` client exactly as the server wrote it (`''` for an empty one). */
export function wireText(response: Response): string {
  const text = wireTexts.get(response);
  if (text === undefined) throw new Error('not an answer to a qb() client');
  return text;
}

/** A typed client for the test server, which keeps each answer's body for `wireText`. */
export function qb(http: Client | string, credential: Credential = {}): Tessera {
  const api = tessera(baseUrlOf(http), credential);
  api.use(keepWireText);
  return api;
}

/** Requests carrying `QB-Token`, as the SDK sends them. */
export function withSession(http: Client | string, token: string): Tessera {
  return qb(http, { qbToken: token });
}

/** A value the test needs to go on (a user's id for a path), or a clear failure instead of a non-null assertion. */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what}`);
  return value;
}

/** The messages of a QuickBlox error about `field` (`base`: the request as a whole); the spec allows a bare list too. */
export function messages(error: QuickBloxErrors | undefined, field = 'base'): string[] | undefined {
  const errors = error?.errors;
  return errors && !Array.isArray(errors) ? errors[field] : undefined;
}

/**
 * The nonces given when a test names none: counting up from a million, never wrapping, so they never
 * meet the small ones tests name (`nonce: 8801`) at the same (application, timestamp). The counter
 * lives as long as the worker, across its test files (vitest.config.ts).
 */
let nonce = 1_000_000;

export interface SessionRequestOptions {
  /** Signs in a user at once: `user[login]` (or `user[email]`) and `user[password]`. */
  user?: { login?: string; email?: string; password: string };
  hash?: 'sha1' | 'sha256';
  /** Unix seconds; the clock's time by default. */
  timestamp?: number;
  nonce?: number;
  authSecret?: string;
}

/** What a QuickBlox client holds of an application: its id and its key pair. */
export type QuickBloxApplication = Pick<OrganizationFixture['app'], 'applicationId' | 'authKey' | 'authSecret'>;

/** A signed `POST /session.json` body for the fixture's application, signed over its form fields, bracket keys and all. */
export function sessionRequest(org: { app: QuickBloxApplication }, clock: Clock, options: SessionRequestOptions = {}): SessionRequest {
  const unsigned: Omit<SessionRequest, 'signature'> = {
    application_id: org.app.applicationId,
    auth_key: org.app.authKey,
    nonce: options.nonce ?? ++nonce,
    timestamp: options.timestamp ?? Math.floor(clock.now() / 1000),
    ...(options.user && { user: options.user }),
  };
  return { ...unsigned, signature: sign(formOf(unsigned), options.authSecret ?? org.app.authSecret, options.hash) };
}

/** `POST /session.json` as the SDK sends it: a form. */
export function postSession(api: Tessera, body: SessionRequest) {
  return api.POST('/session.json', { body, ...asQuickBloxForm });
}

/** Opens a session and returns its token; fails the test when the server refuses. */
export async function openSession(http: Client | string, org: { app: QuickBloxApplication }, clock: Clock, options: SessionRequestOptions = {}): Promise<string> {
  return ok(await postSession(qb(http), sessionRequest(org, clock, options))).session.token;
}

/** `YYYY-MM-DD HH:MM:SS UTC`, computed here from a time, to compare with the header. */
export function expectedExpirationDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`;
}

export const sessionNotFound = { errors: { base: ['Required session does not exist'] } };

/** What `GET /session.json` answers in each session now (status and error), to see that they ended. */
export async function sessionAnswers(http: Client | string, sessions: readonly string[]): Promise<{ status: number; error: unknown }[]> {
  return Promise.all(
    sessions.map(async (session) => {
      const answer = await withSession(http, session).GET('/session.json');
      return { status: answer.response.status, error: answer.error };
    }),
  );
}
export const needUser = { errors: { base: ['Forbidden. Need user.'] } };

export type AppSessionAccess = components['schemas']['AppSessionAccess'];

/** Sets what the organization's application lets an application session do (`appsessionaccess`). */
export async function setAppSessionAccess(http: Client | string, org: OrganizationFixture, access: AppSessionAccess): Promise<void> {
  const answer = await qb(http, org.admin.token).PUT('/management/orgs/{org}/apps/{app}', {
    params: { path: { org: org.name, app: org.app.name } },
    body: { appsessionaccess: access },
  });
  if (ok(answer).data.application.settings.appsessionaccess !== access) throw new Error(`appsessionaccess of ${org.name} not set`);
}
