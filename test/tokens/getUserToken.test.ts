import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { operations } from '../../generated/openapi.js';
import type { Credential } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ users: { acme: ['test_1', 'test_2'] } });
});
afterAll(() => world.server.close());

async function apiToken(access: 'full' | 'read'): Promise<string> {
  const { data, error, response } = await world.api(world.acme.admin.token).POST('/management/orgs/{org}/apps/{app}/api-tokens', {
    params: { path: acmeApp },
    body: { name: `mint-${access}`, access },
  });
  if (!data) throw new Error(`api token: ${response.status} ${JSON.stringify(error)}`);
  return data.data.access_token;
}

/** GET /{org}/{app}/users/{user}/token for a user of acme's application, as `credential`, with these query parameters. */
const mint = (user: string, credential?: Credential, query: operations['getUserToken']['parameters']['query'] = {}) =>
  world.api(credential).GET('/{org}/{app}/users/{user}/token', { params: { path: { ...acmeApp, user }, query } });

describe('getUserToken', () => {
  it('answers 401 invalid_token for a token that is not one (§8 #22)', async () => {
    const { error, response } = await mint('test_1', undefined, { access_token: 'blah' });
    expect(response.status).toBe(401);
    expect(error?.error).toBe('invalid_token');
  });

  it("refuses an application user's token with 403: it cannot be exchanged for new tokens (§8 #23)", async () => {
    const token = await signIn(world.http, world.acme, 'test_1');
    expect((await mint('test_2', undefined, { access_token: token })).response.status).toBe(403);
    expect((await mint('test_1', token)).response.status).toBe(403);
  });

  it("mints a working token for the user with an admin's token (§8 #24), honouring ttl", async () => {
    const { data, response } = await mint('test_1', undefined, { access_token: world.acme.admin.token });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(data).toMatchObject({ access_token: expect.stringMatching(/^tsr_at_/), expires_in: 604800, user: { username: 'test_1' } });
    const user = await world.api(data?.access_token).GET('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: 'test_1' } } });
    expect(user.response.status).toBe(200);
    const short = await mint('test_1', world.acme.admin.token, { ttl: 5000 });
    expect(short.data?.expires_in).toBe(5);
  });

  it('mints for the application client, the organization client and a full API token, but not a read one', async () => {
    const byAppClient = await mint('test_1', undefined, { client_id: world.acme.app.clientId, client_secret: world.acme.app.clientSecret });
    expect(byAppClient.response.status).toBe(200);
    const byOrgClient = await mint('test_1', undefined, { client_id: world.acme.clientId, client_secret: world.acme.clientSecret });
    expect(byOrgClient.response.status).toBe(200);
    expect((await mint('test_1', await apiToken('full'))).response.status).toBe(200);
    const read = await mint('test_1', await apiToken('read'));
    expect(read.response.status).toBe(403);
    expect(read.error?.error).toBe('insufficient_scope');
  });

  it('refuses the admin of another organization with 403, and answers 404 for an unknown user', async () => {
    expect((await mint('test_1', world.globex.admin.token)).response.status).toBe(403);
    const unknown = await mint('nobody', world.acme.admin.token);
    expect(unknown.response.status).toBe(404);
  });

  it('answers 401 with a bare challenge when no credential is sent', async () => {
    const { response } = await mint('test_1');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
  });
});
