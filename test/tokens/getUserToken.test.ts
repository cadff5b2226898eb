import { describe, expect, it } from 'vitest';
import { signIn, tokenWorld } from './support.js';

const world = tokenWorld(['test_1', 'test_2']);

async function apiToken(access: 'full' | 'read'): Promise<string> {
  const answer = await world.http.post('/management/orgs/acme/apps/app/api-tokens', { token: world.acme.admin.token, json: { name: `mint-${access}`, access } });
  return answer.body.data.access_token;
}

describe('getUserToken', () => {
  it('answers 401 invalid_token for a token that is not one (§8 #22)', async () => {
    const answer = await world.http.get('/acme/app/users/test_1/token?access_token=blah');
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_token');
  });

  it("refuses an application user's token with 403: it cannot be exchanged for new tokens (§8 #23)", async () => {
    const token = await signIn(world.http, world.acme, 'test_1');
    expect((await world.http.get(`/acme/app/users/test_2/token?access_token=${token}`)).status).toBe(403);
    expect((await world.http.get('/acme/app/users/test_1/token', { token })).status).toBe(403);
  });

  it("mints a working token for the user with an admin's token (§8 #24), honouring ttl", async () => {
    const answer = await world.http.get(`/acme/app/users/test_1/token?access_token=${world.acme.admin.token}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toMatchObject({ access_token: expect.stringMatching(/^tsr_at_/), expires_in: 604800, user: { username: 'test_1' } });
    expect((await world.http.get('/acme/app/users/test_1', { token: answer.body.access_token })).status).toBe(200);
    const short = await world.http.get('/acme/app/users/test_1/token?ttl=5000', { token: world.acme.admin.token });
    expect(short.body.expires_in).toBe(5);
  });

  it('mints for the application client, the organization client and a full API token, but not a read one', async () => {
    const byAppClient = await world.http.get(`/acme/app/users/test_1/token?client_id=${world.acme.app.clientId}&client_secret=${world.acme.app.clientSecret}`);
    expect(byAppClient.status).toBe(200);
    const byOrgClient = await world.http.get(`/acme/app/users/test_1/token?client_id=${world.acme.clientId}&client_secret=${world.acme.clientSecret}`);
    expect(byOrgClient.status).toBe(200);
    expect((await world.http.get('/acme/app/users/test_1/token', { token: await apiToken('full') })).status).toBe(200);
    const read = await world.http.get('/acme/app/users/test_1/token', { token: await apiToken('read') });
    expect(read.status).toBe(403);
    expect(read.body.error).toBe('insufficient_scope');
  });

  it('refuses the admin of another organization with 403, and answers 404 for an unknown user', async () => {
    expect((await world.http.get('/acme/app/users/test_1/token', { token: world.globex.admin.token })).status).toBe(403);
    const unknown = await world.http.get('/acme/app/users/nobody/token', { token: world.acme.admin.token });
    expect(unknown.status).toBe(404);
  });

  it('answers 401 with a bare challenge when no credential is sent', async () => {
    const answer = await world.http.get('/acme/app/users/test_1/token');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
  });
});
