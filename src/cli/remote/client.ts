import createClient from 'openapi-fetch';
import type { paths } from '../../../generated/openapi.js';
import { NotSignedInError, UsageError } from '../command.js';
import { readCredentials } from './credentials.js';
import { terminalSafe } from './output.js';

/**
 * How long one call may take, answer included (`TESSERA_CLI_TIMEOUT_MS`, default 30 s): a server that
 * never answers, or trickles its body a byte at a time, must not hold a script for ever.
 */
const requestTimeoutMs = Number(process.env.TESSERA_CLI_TIMEOUT_MS) > 0 ? Number(process.env.TESSERA_CLI_TIMEOUT_MS) : 30_000;

/**
 * The most bytes of one answer the CLI reads (`TESSERA_CLI_MAX_ANSWER_BYTES`, default 8 MiB), error
 * answers and redirects included: a server answering without end must not fill the memory. The
 * largest a Tessera server sends is a page of users, cut at TESSERA_PAGE_MAX_BYTES of stored JSON
 * (1 MiB unless raised; a CLI for a server that raised it raises this too).
 */
const answerMaxBytes = Number(process.env.TESSERA_CLI_MAX_ANSWER_BYTES) > 0 ? Number(process.env.TESSERA_CLI_MAX_ANSWER_BYTES) : 8 * 1024 * 1024;
const answerMax = answerMaxBytes % (1024 * 1024) === 0 ? `${answerMaxBytes / (1024 * 1024)} MiB` : `${answerMaxBytes} bytes`;

/** An answer longer than answerMaxBytes: reading stopped there. */
class AnswerTooLarge extends Error {}

/** Statuses whose answer has no body (and a Response may not be given one). */
const bodiless = new Set([101, 204, 205, 304]);

/**
 * The answer with a body that errors once it passes answerMaxBytes, which the parser then rejects
 * with: what was read up to there is all that is ever held, and the connection is closed rather
 * than drained. Counted after decompression, so a small gzip that inflates without end stops too.
 */
function capped(response: Response): Response {
  if (!response.body || bodiless.has(response.status)) return response;
  const declared = Number(response.headers.get('content-length'));
  if (!response.headers.has('content-encoding') && declared > answerMaxBytes) {
    void response.body.cancel();
    throw new AnswerTooLarge();
  }
  let read = 0;
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        // Erroring the stream cancels its source: undici closes the connection.
        if (read > answerMaxBytes) controller.error(new AnswerTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * The client typed from the spec (generated/openapi.d.ts): a path, a parameter or a body the spec
 * does not have fails the typecheck, so the CLI cannot drift from the API it drives.
 */
export function apiClient(url: string, token?: string) {
  return createClient<paths>({
    baseUrl: url,
    fetch: async (request: Request) => capped(await fetch(request, { signal: AbortSignal.timeout(requestTimeoutMs) })),
    // Never followed: a redirect to another host would carry the admin token (or the password) there.
    redirect: 'manual',
    headers: { 'user-agent': 'tessera-cli', ...(token !== undefined && { authorization: `Bearer ${token}` }) },
  });
}
export type ApiClient = ReturnType<typeof apiClient>;

/** `https://host:port/prefix` without a trailing slash; anything but an http(s) address is wrong usage. */
export function serverUrl(text: string, what: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${what} is not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${what} must be an http or https URL`);
  if (url.username || url.password || url.search || url.hash) throw new UsageError(`${what} must have no credentials, query or fragment`);
  return url.href.replace(/\/+$/, '');
}

/** Whether a plain-http address stays on this machine (anything else sends passwords and tokens in the clear). */
export function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  // 127.x only as an address: `127.0.0.1.example.com` is a name anyone may point anywhere.
  return protocol === 'https:' || hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export interface SignedIn {
  api: ApiClient;
  url: string;
  token: string;
}

/**
 * The server and token every command but `login` uses: TESSERA_URL with TESSERA_TOKEN (scripts), else
 * what `tessera login` stored. A stored token goes only to the server that issued it: TESSERA_URL
 * naming another one is refused rather than sent the token.
 */
export function signedIn(env: NodeJS.ProcessEnv, now = Date.now()): SignedIn {
  if (env.TESSERA_TOKEN) {
    if (!env.TESSERA_URL) throw new NotSignedInError('TESSERA_TOKEN is set without TESSERA_URL: set both, or run tessera login');
    const url = serverUrl(env.TESSERA_URL, 'TESSERA_URL');
    return { api: apiClient(url, env.TESSERA_TOKEN), url, token: env.TESSERA_TOKEN };
  }
  const stored = readCredentials(env);
  if (!stored) throw new NotSignedInError('not signed in: run tessera login --url <server>, or set TESSERA_URL and TESSERA_TOKEN');
  if (env.TESSERA_URL && serverUrl(env.TESSERA_URL, 'TESSERA_URL') !== stored.url) {
    throw new NotSignedInError(`signed in to ${stored.url}, not to TESSERA_URL ${env.TESSERA_URL}: run tessera login --url ${env.TESSERA_URL}, or set TESSERA_TOKEN`);
  }
  if (stored.expires_at <= now) throw new NotSignedInError(`the token of tessera login expired at ${new Date(stored.expires_at).toISOString()}: run tessera login again`);
  return { api: apiClient(stored.url, stored.access_token), url: stored.url, token: stored.access_token };
}

/** The server answered an error: its status and code (the Usergrid and OAuth `error`), for a command that tells them apart. */
export class ServerRefusal extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface TypedAnswer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The API's error in one line: its code and description (the Usergrid and OAuth shapes), else the status. */
function describe(error: unknown, response: Response): string {
  const body = (error ?? {}) as { error?: unknown; error_description?: unknown };
  const description = typeof body.error_description === 'string' && body.error_description ? `: ${body.error_description}` : '';
  // From the server, so made safe for the terminal as table cells are; and one line.
  if (typeof body.error === 'string') return terminalSafe(`${body.error}${description} (HTTP ${response.status})`);
  return terminalSafe(`HTTP ${response.status} ${response.statusText}`.trim());
}

/**
 * The success body of a call, or an error in one line: 401 (no token, or one the server refuses)
 * is NotSignedInError (exit 4), any other failure an Error (exit 1), an unreachable server too.
 */
export async function succeeded<T>(call: Promise<TypedAnswer<T>>, url: string): Promise<T> {
  let answer: TypedAnswer<T>;
  try {
    answer = await call;
  } catch (error) {
    // An answer that is not JSON: the parser's message quotes it, and it is the server's text.
    if (error instanceof SyntaxError) throw new Error(`${url} answered something that is not JSON`);
    if (error instanceof AnswerTooLarge) throw new Error(`${url} answered more than ${answerMax}, more than any answer of a Tessera server; the rest was not read (TESSERA_CLI_MAX_ANSWER_BYTES)`);
    if ((error as Error).name === 'TimeoutError') throw new Error(`${url} did not answer within ${requestTimeoutMs / 1000} s`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(terminalSafe(`cannot reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`));
  }
  const { data, error, response } = answer;
  if (response.status >= 300 && response.status < 400) {
    throw new Error(`${url} answered ${response.status}, a redirect to ${terminalSafe(response.headers.get('location') ?? '(nowhere)')}; not followed (the token would go along): use the address it names`);
  }
  if (response.status === 401) throw new NotSignedInError(`${describe(error, response)}: run tessera login`);
  if (!response.ok) throw new ServerRefusal(describe(error, response), response.status, (error as { error?: string } | undefined)?.error);
  return data as T;
}
