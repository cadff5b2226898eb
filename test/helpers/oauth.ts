import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { components, paths } from '../../generated/openapi.js';
import { asForm, type Credential, type Tessera } from './api.js';
import { basic } from './credentials.js';
import type { Answer } from './http.js';
import type { OAuthWorld } from './world.js';

/** The application user of acme that OAuth tests sign in as (`users: { acme: [user] }`). */
export const user = { username: 'alice', email: 'alice@acme.example', password: 'alice-password-1' };
export const redirectUri = 'https://client.example/cb';

/** A registered client as `createOAuthClient` answers it (with its secret, unless it is public). */
export type RegisteredClient = components['schemas']['RegisteredOAuthClient'];
export type NewClient = components['schemas']['NewOAuthClient'];
export type TokenRequest = components['schemas']['OAuthTokenRequest'];
export type TokenResponse = components['schemas']['OAuthTokenResponse'];
/** The body of `/oauth/revoke` and `/oauth/introspect` besides the token itself. */
export type TokenReferenceExtra = Omit<components['schemas']['OAuthTokenReference'], 'token'>;
export type AuthorizeQuery = NonNullable<paths['/oauth/authorize']['get']['parameters']['query']>;
export type LoginForm = components['schemas']['OAuthLoginForm'];
export type ConsentForm = components['schemas']['OAuthConsentForm'];

/** HTTP Basic for a confidential client: how the token, revocation and introspection endpoints take it (not a typed parameter). */
export function basicAuth(as: RegisteredClient, secret = as.client_secret ?? ''): Credential {
  return { headers: { authorization: basic(as.client_id, secret) } };
}

/** The token endpoint with a form body (RFC 6749) from `as`: HTTP Basic for a confidential client, `client_id` in the body for a public one, nothing when `as` is false. */
export function token(world: OAuthWorld, form: TokenRequest, as: RegisteredClient | false = world.confidential) {
  const credential: Credential = as && as.client_secret ? basicAuth(as) : {};
  const body: TokenRequest = as && !as.client_secret ? { client_id: as.client_id, ...form } : form;
  return world.api(credential).POST('/oauth/token', { body, ...asForm });
}
export type TokenAnswer = Awaited<ReturnType<typeof token>>;

/** The body of a token answer that must be a success; throws (failing the test) when it is not. */
export function granted(answer: TokenAnswer): TokenResponse {
  if (!answer.data) throw new Error(`token: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  return answer.data;
}

/** As `granted`, for grants that must also issue a refresh token. */
export function grantedWithRefresh(answer: TokenAnswer): TokenResponse & { refresh_token: string } {
  const data = granted(answer);
  if (!data.refresh_token) throw new Error(`no refresh token: ${JSON.stringify(data)}`);
  return { ...data, refresh_token: data.refresh_token };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** What a browser makes of an answer of the pages: its status, headers and HTML. */
export interface Page {
  status: number;
  headers: Headers;
  text: string;
}

/** openapi-fetch keeps a 200 page in `data`, and an error page (or a redirect's short body) in `error`. */
function pageOf(answer: { data?: string; error?: unknown; response: Response }): Page {
  const body = answer.data ?? answer.error;
  return { status: answer.response.status, headers: answer.response.headers, text: typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body) };
}

/** A browser session without a browser: keeps the binding cookie and follows the pages' forms by hand. */
export class PageSession {
  private cookie = '';
  constructor(private readonly world: OAuthWorld) {}

  /** A typed client that presents itself as this browser: it accepts HTML and sends the binding cookie. */
  private browser(headers: Record<string, string> = {}): Tessera {
    return this.world.api({ headers: { accept: 'text/html', ...(this.cookie && { cookie: this.cookie }), ...headers } });
  }

  /** Opens `GET /oauth/authorize`; parameters the server does not know go in `extensions`, sent as plain query parameters (style form, explode). */
  async get(query: AuthorizeQuery): Promise<Page> {
    const answer = await this.browser().GET('/oauth/authorize', { params: { query }, parseAs: 'text', querySerializer: { object: { style: 'form', explode: true } } });
    const set = answer.response.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return pageOf(answer);
  }

  /** Follows a redirect to the server's own page (`/oauth/authorize?interaction=…`), as the browser would. */
  follow(location: string | null): Promise<Page> {
    const url = new URL(location ?? '', this.world.issuer);
    const interaction = url.searchParams.get('interaction');
    if (url.pathname !== '/oauth/authorize' || !interaction || [...url.searchParams.keys()].length !== 1) throw new Error(`not a page of the server: ${location}`);
    return this.get({ interaction });
  }

  /** Sends the login page's form. */
  async login(form: LoginForm, headers: Record<string, string> = {}): Promise<Page> {
    return pageOf(await this.browser(headers).POST('/oauth/authorize/login', { body: form, ...asForm, parseAs: 'text' }));
  }

  /** Sends the consent page's form. */
  async consent(form: ConsentForm, headers: Record<string, string> = {}): Promise<Page> {
    return pageOf(await this.browser(headers).POST('/oauth/authorize/consent', { body: form, ...asForm, parseAs: 'text' }));
  }

  /** Posts a form the spec does not allow (a required field left out), untyped, from this browser. */
  postOffSpec(path: string, form: Record<string, string>): Promise<Answer> {
    return this.world.http.post(path, { form, headers: { accept: 'text/html', ...(this.cookie && { cookie: this.cookie }) } });
  }

  /** The interaction value in the page's hidden field. */
  static interactionOf(page: Page): string {
    const match = /name="interaction" value="([^"]+)"/.exec(page.text);
    if (!match) throw new Error(`no interaction in the page: ${page.status} ${page.text.slice(0, 300)}`);
    return match[1]!;
  }

  /** Opens an authorization page; returns its interaction value. */
  async start(query: AuthorizeQuery): Promise<string> {
    return PageSession.interactionOf(await this.get(query));
  }

  /** Sends the login form of an interaction. */
  signIn(interaction: string, login: { username: string; password: string } = user, headers: Record<string, string> = {}): Promise<Page> {
    return this.login({ interaction, username: login.username, password: login.password }, headers);
  }

  /** Authorizes through the login and consent pages; returns the callback URL the browser would be sent to. */
  async authorize(query: AuthorizeQuery, decision: ConsentForm['decision'] = 'approve', login = user): Promise<URL> {
    const interaction = await this.start(query);
    const signedIn = await this.signIn(interaction, login);
    if (signedIn.status !== 303) throw new Error(`login: ${signedIn.status} ${signedIn.text.slice(0, 300)}`);
    const consent = await this.follow(signedIn.headers.get('location'));
    const answered = await this.consent({ interaction: PageSession.interactionOf(consent), decision });
    if (answered.status !== 303) throw new Error(`consent: ${answered.status} ${answered.text.slice(0, 300)}`);
    return new URL(answered.headers.get('location')!);
  }
}

/** A code for `as` through the pages, with PKCE; returns the code and the verifier. */
export async function codeFor(world: OAuthWorld, as: RegisteredClient = world.confidential, extra: AuthorizeQuery = {}) {
  const { verifier, challenge } = pkce();
  const callback = await new PageSession(world).authorize({
    client_id: as.client_id, redirect_uri: as.redirect_uris[0]!, response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz', ...extra,
  });
  return { code: callback.searchParams.get('code')!, verifier, callback };
}

/** Tokens for the user through the password grant of the first-party client. */
export async function passwordTokens(world: OAuthWorld, scope?: string) {
  return grantedWithRefresh(await token(world, { grant_type: 'password', username: user.username, password: user.password, ...(scope ? { scope } : {}) }));
}

/** `/oauth/introspect` as the client `as` (HTTP Basic). */
export function introspect(world: OAuthWorld, value: string, as: RegisteredClient = world.confidential, extra: TokenReferenceExtra = {}) {
  return world.api(basicAuth(as)).POST('/oauth/introspect', { body: { token: value, ...extra }, ...asForm });
}

/** A loopback HTTP server standing in for a native app's redirect URI; remembers every callback. */
export async function callbackServer(): Promise<{ url: string; callbacks: URL[]; close(): Promise<void>; server: Server }> {
  const callbacks: URL[] = [];
  const server = createServer((req, res) => {
    callbacks.push(new URL(req.url ?? '/', 'http://127.0.0.1'));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Signed in</title><p>You can close this window.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/callback`, callbacks, server, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
