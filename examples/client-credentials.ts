/**
 * The OAuth 2.0 client-credentials grant (RFC 6749 §4.4): a confidential client gets an access
 * token for itself, authenticating with HTTP Basic (§2.3.1), and reads the application's users with
 * it. The token was asked for with the `read` scope only, so a write is refused.
 *
 * Run: `npm start` in one terminal, then `npx tsx examples/client-credentials.ts` in another.
 *
 * Environment (defaults: the public demo values of `npm start`):
 *   TESSERA_URL                              http://127.0.0.1:8080
 *   OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET     oc_demo-storefront-web / tsr_ocs_demo-storefront-web-secret
 *   TESSERA_ORG, TESSERA_APP                 demo / storefront (the client's application)
 *
 * Usergrid-style clients do the same with the application's own client pair (the `app client` that
 * `npm start` prints): `POST /{org}/{app}/token` with `grant_type=client_credentials` and the pair in
 * HTTP Basic or as `client_id`/`client_secret` in the body; that token may also write.
 */
import createClient from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { basic, baseUrl, env, fail, form, ok } from './support.js';

const clientId = env('OAUTH_CLIENT_ID', 'oc_demo-storefront-web');
const clientSecret = env('OAUTH_CLIENT_SECRET', 'tsr_ocs_demo-storefront-web-secret');
const application = { org: env('TESSERA_ORG', 'demo'), app: env('TESSERA_APP', 'storefront') };



const api = createClient<paths>({ baseUrl });

async function main(): Promise<void> {
  const token = ok(
    'token request',
    200,
    await api.POST('/oauth/token', { body: { grant_type: 'client_credentials', scope: 'read' }, ...form, headers: { ...form.headers, authorization: basic(clientId, clientSecret) } }),
  );
  console.log(`1. Got a ${token.token_type} token (${token.access_token.slice(0, 8)}…), scope "${token.scope}", expires in ${token.expires_in} s, ${token.refresh_token ? 'with' : 'no'} refresh token`);

  const bearer = { authorization: `Bearer ${token.access_token}` };
  const users = ok('list users', 200, await api.GET('/{org}/{app}/users', { params: { path: application }, headers: bearer }));
  console.log(`2. ${application.org}/${application.app} has ${users.count} user(s): ${users.entities.map((u) => u.username).join(', ')}`);

  const write = await api.POST('/{org}/{app}/{collection}', { params: { path: { ...application, collection: 'movies' } }, body: { title: 'Heat' }, headers: bearer });
  if (write.response.status !== 403) fail('write with a read-only token', write);
  console.log(`3. A write with the read-only token is refused: ${write.response.status} ${JSON.stringify(write.error)}`);
  console.log('Done.');
}

main().catch((error: unknown) => {
  // A network failure names its cause (e.g. connect ECONNREFUSED: is the server running?).
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  console.error(`client-credentials failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exit(1);
});
