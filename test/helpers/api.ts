import createClient from 'openapi-fetch';
import type { paths } from '../../generated/openapi.js';
import { fetchFrom } from './source-address.js';

/** How a typed client presents itself: an access token as `Authorization: Bearer`, a QuickBlox session as `QB-Token`. */
export type Credential =
  | string
  | {
      token?: string;
      qbToken?: string;
      headers?: Record<string, string>;
      /** Credentials the spec carries in the query string (`access_token`, `client_id` and `client_secret`), added to every request. */
      query?: Record<string, string>;
      /** The address requests leave from (another loopback address, such as `127.0.0.2`): another client, as far as the server can tell. */
      from?: string;
    };

/**
 * A client typed from `generated/`: paths, parameters, bodies and answers are checked against the
 * spec at compile time, so a change to the spec that breaks a caller breaks the build. Tests that
 * send what the spec forbids on purpose (malformed JSON, wrong types, a second credential) use the
 * untyped `client()` of `http.ts` instead, which is the point of those tests.
 */
export function tessera(baseUrl: string, credential: Credential = {}) {
  const { token, qbToken, headers, query, from } = typeof credential === 'string' ? { token: credential } : credential;
  const api = createClient<paths>({
    baseUrl,
    ...(from !== undefined && { fetch: fetchFrom(from) }),
    // Redirects are part of what the OAuth operations answer; a test follows them itself.
    redirect: 'manual',
    headers: {
      ...headers,
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
      ...(qbToken !== undefined && { 'QB-Token': qbToken }),
    },
  });
  if (query) {
    // One credential for every call of this client, whatever parameters each operation declares.
    api.use({
      onRequest({ request }) {
        const url = new URL(request.url);
        for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
        return new Request(url, request);
      },
    });
  }
  return api;
}
export type Tessera = ReturnType<typeof tessera>;

/**
 * Spread into a call's options to send its body as `application/x-www-form-urlencoded` (the token
 * endpoints and QuickBlox accept forms): `api.POST('/oauth/token', { body, ...asForm })`.
 */
export const asForm = {
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  bodySerializer: (body: unknown) => new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)])).toString(),
};

/** What every typed call resolves to, whatever the operation. */
export interface TypedAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The success body of a typed call (of `status`, when given). A test reads fields of a body only
 * once it is there: failing here, with the status and the error body, says more than a field of
 * `undefined` would, and a comparison of two fields can never pass because both are missing.
 * Given the call itself rather than its answer, it awaits it first.
 */
export function ok<T>(answer: TypedAnswer<T>, status?: number): T;
export function ok<T>(call: Promise<TypedAnswer<T>>, status?: number): Promise<T>;
export function ok<T>(answer: TypedAnswer<T> | Promise<TypedAnswer<T>>, status?: number): T | Promise<T> {
  if (answer instanceof Promise) return answer.then((settled) => bodyOf(settled, status));
  return bodyOf(answer, status);
}

function bodyOf<T>({ data, error, response }: TypedAnswer<T>, status: number | undefined): T {
  if (data === undefined || (status !== undefined && response.status !== status)) {
    throw new Error(`${response.url}: ${status ?? 'a success'} expected, got ${response.status} ${JSON.stringify(error ?? data)}`);
  }
  return data;
}
