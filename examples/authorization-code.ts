/**
 * The OAuth 2.0 authorization-code flow of a native app: PKCE S256 (RFC 7636) and a loopback
 * redirect URI (RFC 8252 §7.3). The program listens on the redirect URI, prints the authorization
 * URL for you to open, and after you sign in and allow on Tessera's pages it checks `state` and `iss`,
 * redeems the code, calls the API, refreshes the tokens once and revokes them.
 *
 * Run: `npm start` in one terminal, then `npx tsx examples/authorization-code.ts` in another, open
 * the URL it prints and sign in as alice / alice-password.
 *
 * Environment (defaults: the public demo values of `npm start`):
 *   TESSERA_URL                              http://127.0.0.1:8080
 *   OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET     oc_demo-storefront-web / tsr_ocs_demo-storefront-web-secret
 *   OAUTH_REDIRECT_URI                       http://127.0.0.1:8765/callback (registered for the client)
 *   TESSERA_ORG, TESSERA_APP                 demo / storefront (the client's application)
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import createClient from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { basic, baseUrl, env, fail, form, ok } from './support.js';

const clientId = env('OAUTH_CLIENT_ID', 'oc_demo-storefront-web');
const clientSecret = env('OAUTH_CLIENT_SECRET', 'tsr_ocs_demo-storefront-web-secret');
const redirectUri = new URL(env('OAUTH_REDIRECT_URI', 'http://127.0.0.1:8765/callback'));
const application = { org: env('TESSERA_ORG', 'demo'), app: env('TESSERA_APP', 'storefront') };


/** `client_secret_basic`, the demo client's method: the token and revocation requests authenticate the client with HTTP Basic. */
const oauth = createClient<paths>({ baseUrl, headers: { authorization: basic(clientId, clientSecret) } });
const api = createClient<paths>({ baseUrl });
const me = (accessToken: string) =>
  api.GET('/{org}/{app}/users/{user}', { params: { path: { ...application, user: 'me' } }, headers: { authorization: `Bearer ${accessToken}` } });

/** Listens on the loopback redirect URI; `received` is the authorization response the browser brings back. */
async function listenForCallback(): Promise<{ received: Promise<URLSearchParams> }> {
  let answer!: (params: URLSearchParams) => void;
  const received = new Promise<URLSearchParams>((resolve, reject) => {
    answer = resolve;
    setTimeout(() => reject(new Error('callback: nobody came back within 10 minutes')), 600_000).unref();
  });
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', redirectUri);
    if (url.pathname !== redirectUri.pathname) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('You can close this window and return to the program.');
    server.close();
    answer(url.searchParams);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(Number(redirectUri.port), redirectUri.hostname, resolve));
  return { received };
}

async function main(): Promise<void> {
  const metadata = ok('metadata', 200, await api.GET('/.well-known/oauth-authorization-server'));
  const { received } = await listenForCallback();

  const state = randomBytes(16).toString('base64url');
  const verifier = randomBytes(32).toString('base64url');
  const query = {
    client_id: clientId, redirect_uri: redirectUri.href, response_type: 'code', scope: 'read write', state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  } satisfies paths['/oauth/authorize']['get']['parameters']['query'];
  console.log(`Open this URL in a browser: ${metadata.authorization_endpoint}?${new URLSearchParams(query)}`);

  const params = await received;
  if (params.get('state') !== state) throw new Error('callback: the state does not match; ignoring this response');
  if (params.get('iss') !== metadata.issuer) throw new Error(`callback: iss ${params.get('iss')} is not the issuer ${metadata.issuer} (RFC 9207)`);
  const code = params.get('code');
  if (!code) throw new Error(`callback: authorization refused: ${params.get('error')} ${params.get('error_description') ?? ''}`);
  console.log('1. The browser came back with a code; state and iss match');

  const body = { grant_type: 'authorization_code', code, redirect_uri: redirectUri.href, code_verifier: verifier };
  const tokens = ok('redeem the code', 200, await oauth.POST('/oauth/token', { body, ...form }));
  console.log(`2. Tokens: scope "${tokens.scope}", access token expires in ${tokens.expires_in} s, ${tokens.refresh_token ? 'with' : 'no'} refresh token`);

  const user = ok('read the signed-in user', 200, await me(tokens.access_token));
  console.log(`3. The access token speaks for ${user.entities[0]?.username}`);

  if (!tokens.refresh_token) throw new Error('redeem the code: no refresh token');
  const refreshed = ok('refresh', 200, await oauth.POST('/oauth/token', { body: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, ...form }));
  if (!refreshed.refresh_token || refreshed.refresh_token === tokens.refresh_token) throw new Error('refresh: the refresh token was not rotated');
  ok('read with the refreshed token', 200, await me(refreshed.access_token));
  console.log('4. Refreshed once: a new access token that works, and a new refresh token');

  const revoked = await oauth.POST('/oauth/revoke', { body: { token: refreshed.refresh_token, token_type_hint: 'refresh_token' }, ...form });
  if (revoked.response.status !== 200) fail('revoke', revoked);
  const after = await me(refreshed.access_token);
  if (after.response.status !== 401) fail('read after revocation', after);
  console.log(`5. Revoked the refresh token; its grant's access token is now refused: ${after.response.status} ${JSON.stringify(after.error)}`);
  console.log('Done.');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // A network failure names its cause (e.g. connect ECONNREFUSED: is the server running?).
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    console.error(`authorization-code failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
    process.exit(1);
  },
);
