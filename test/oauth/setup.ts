import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { client, type Answer, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, type ManualClock, type TestServer } from '../helpers/server.js';

export const user = { username: 'alice', email: 'alice@acme.example', password: 'alice-password-1' };
export const redirectUri = 'https://client.example/cb';

export interface RegisteredClient {
  client_id: string;
  client_secret?: string;
  redirect_uris: string[];
  grant_types: string[];
  token_endpoint_auth_method: string;
  first_party: boolean;
}

export interface OAuthWorld {
  server: TestServer;
  http: Client;
  org: OrganizationFixture;
  /** The issuer as the server reports it (its own loopback address). */
  issuer: string;
  userId: string;
  /** A first-party confidential client with every grant (`cli`/`s3cret` of the checklist). */
  confidential: RegisteredClient;
  /** A third-party confidential client with the code and refresh grants only. */
  thirdParty: RegisteredClient;
  /** A public client (no secret; PKCE required). */
  publicClient: RegisteredClient;
  /** Registers another client of the organization's application. */
  register(body: Record<string, unknown>): Promise<RegisteredClient>;
}

/** A server with an organization, an application user and three kinds of OAuth client. */
export async function oauthWorld(options: { clock?: ManualClock } = {}): Promise<OAuthWorld> {
  const server = await startTestServer(options.clock ? { clock: options.clock } : {});
  const http = client(server.url);
  const org = await createOrganization(http, 'acme');
  const created = await http.post(`/acme/app/users`, { token: org.admin.token, json: user });
  if (created.status !== 200) throw new Error(`user: ${created.status} ${created.text}`);
  const register = async (body: Record<string, unknown>): Promise<RegisteredClient> => {
    const answer = await http.post('/management/orgs/acme/apps/app/clients', { token: org.admin.token, json: body });
    if (answer.status !== 201) throw new Error(`client: ${answer.status} ${answer.text}`);
    return answer.body;
  };
  return {
    server,
    http,
    org,
    issuer: server.url,
    userId: created.body.entities[0].uuid,
    register,
    confidential: await register({
      name: 'Acme web', redirect_uris: [redirectUri], grant_types: ['authorization_code', 'refresh_token', 'password', 'client_credentials'], first_party: true,
    }),
    thirdParty: await register({ name: 'Partner app', redirect_uris: [redirectUri, 'https://client.example/other'], token_endpoint_auth_method: 'client_secret_post' }),
    publicClient: await register({ name: 'Acme mobile', redirect_uris: ['http://127.0.0.1:51000/callback'], token_endpoint_auth_method: 'none' }),
  };
}

export function basic(id: string, secret: string): string {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

/** The token endpoint with a form body (RFC 6749), the client authenticated by HTTP Basic unless `auth: false`. */
export function token(world: OAuthWorld, form: Record<string, string>, as: RegisteredClient | false = world.confidential): Promise<Answer> {
  const headers: Record<string, string> = as && as.client_secret ? { authorization: basic(as.client_id, as.client_secret) } : {};
  const body = as && !as.client_secret ? { client_id: as.client_id, ...form } : form;
  return world.http.post('/oauth/token', { form: body, headers });
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A browser session without a browser: keeps the binding cookie and follows the pages' forms by hand. */
export class PageSession {
  private cookie = '';
  constructor(private readonly world: OAuthWorld) {}

  async get(path: string): Promise<Answer> {
    const answer = await this.world.http.get(path, { headers: { accept: 'text/html', ...(this.cookie && { cookie: this.cookie }) } });
    const set = answer.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return answer;
  }

  post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Answer> {
    return this.world.http.post(path, { form, headers: { accept: 'text/html', ...(this.cookie && { cookie: this.cookie }), ...headers } });
  }

  /** The interaction value in the page's hidden field. */
  static interactionOf(page: Answer): string {
    const match = /name="interaction" value="([^"]+)"/.exec(page.text);
    if (!match) throw new Error(`no interaction in the page: ${page.status} ${page.text.slice(0, 300)}`);
    return match[1]!;
  }

  /** Opens an authorization page; returns its interaction value. */
  async start(path: string): Promise<string> {
    return PageSession.interactionOf(await this.get(path));
  }

  /** Sends the login form of an interaction. */
  signIn(interaction: string, login: { username: string; password: string } = user, headers: Record<string, string> = {}): Promise<Answer> {
    return this.post('/oauth/authorize/login', { interaction, username: login.username, password: login.password }, headers);
  }

  /** Authorizes through the login and consent pages; returns the callback URL the browser would be sent to. */
  async authorize(query: Record<string, string>, decision: 'approve' | 'deny' = 'approve', login = user): Promise<URL> {
    const interaction = await this.start(`/oauth/authorize?${new URLSearchParams(query)}`);
    const signedIn = await this.signIn(interaction, login);
    if (signedIn.status !== 303) throw new Error(`login: ${signedIn.status} ${signedIn.text.slice(0, 300)}`);
    const consent = await this.get(signedIn.headers.get('location')!);
    const answered = await this.post('/oauth/authorize/consent', { interaction: PageSession.interactionOf(consent), decision });
    if (answered.status !== 303) throw new Error(`consent: ${answered.status} ${answered.text.slice(0, 300)}`);
    return new URL(answered.headers.get('location')!);
  }
}

/** A code for `as` through the pages, with PKCE; returns the code and the verifier. */
export async function codeFor(world: OAuthWorld, as: RegisteredClient = world.confidential, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const callback = await new PageSession(world).authorize({
    client_id: as.client_id, redirect_uri: as.redirect_uris[0]!, response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz', ...extra,
  });
  return { code: callback.searchParams.get('code')!, verifier, callback };
}

/** Tokens for the user through the password grant of the first-party client. */
export async function passwordTokens(world: OAuthWorld, scope?: string) {
  const answer = await token(world, { grant_type: 'password', username: user.username, password: user.password, ...(scope && { scope }) });
  if (answer.status !== 200) throw new Error(`password grant: ${answer.status} ${answer.text}`);
  return answer.body as { access_token: string; refresh_token: string; scope: string; expires_in: number; token_type: string };
}

export function introspect(world: OAuthWorld, value: string, as: RegisteredClient = world.confidential, extra: Record<string, string> = {}): Promise<Answer> {
  return world.http.post('/oauth/introspect', { form: { token: value, ...extra }, headers: { authorization: basic(as.client_id, as.client_secret!) } });
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
