import { describe, expect, it } from 'vitest';
import { superuserToken } from '../helpers/fixtures.js';
import { adminSignIn, signIn, tokenWorld } from './support.js';

const world = tokenWorld(['alice']);

const tokensPath = '/management/orgs/acme/apps/app/api-tokens';

async function create(access: 'full' | 'read', extra: Record<string, unknown> = {}, token = world.acme.admin.token) {
  const answer = await world.http.post(tokensPath, { token, json: { name: `${access}-token`, access, ...extra } });
  if (answer.status !== 200) throw new Error(`create api token: ${answer.status} ${answer.text}`);
  return { value: answer.body.data.access_token as string, id: answer.body.data.api_token.id as number, answer };
}

describe('createApiToken', () => {
  it('shows the value once, with a prefix of its own, and keeps only its hash', async () => {
    const { value, answer } = await create('read', { name: 'nightly-export' });
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(value).toMatch(/^tsr_api_[A-Za-z0-9_-]{43}$/);
    expect(answer.body.data.api_token).toEqual({ id: expect.any(Number), name: 'nightly-export', access: 'read', created: world.clock.now(), expires: null, last_used: null });
    const rows = await world.server.deps.db('tokens').where({ kind: 'api' });
    expect(JSON.stringify(rows)).not.toContain(value);
  });

  it('makes a read token that may read everything in its application and write nothing (403 insufficient_scope)', async () => {
    const { value } = await create('read');
    expect((await world.http.get('/acme/app/users', { token: value })).status).toBe(200);
    expect((await world.http.get('/acme/app/users/alice', { token: value })).status).toBe(200);
    expect((await world.http.get(`/acme/app/users?access_token=${value}`)).status).toBe(200);
    const write = await world.http.post('/acme/app/cats', { token: value, json: { name: 'tom' } });
    expect(write.status).toBe(403);
    expect(write.body.error).toBe('insufficient_scope');
    expect(write.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect((await world.http.put('/acme/app/users/alice', { token: value, json: { name: 'A' } })).status).toBe(403);
  });

  it('makes a full token that may write in its application, and nowhere else', async () => {
    const { value } = await create('full');
    expect((await world.http.post('/acme/app/cats', { token: value, json: { name: 'felix' } })).status).toBe(200);
    expect((await world.http.delete('/acme/app/cats/felix', { token: value })).status).toBe(200);
    expect((await world.http.get('/acme/sandbox/users', { token: value })).status).toBe(403);
    expect((await world.http.get('/globex/app/users', { token: value })).status).toBe(403);
    expect((await world.http.get('/management/orgs/acme', { token: value })).status).toBe(403);
  });

  it('never lets an API token, even a full one, manage API tokens', async () => {
    const { value, id } = await create('full');
    expect((await world.http.post(tokensPath, { token: value, json: { name: 'spawn', access: 'full' } })).status).toBe(403);
    expect((await world.http.get(tokensPath, { token: value })).status).toBe(403);
    expect((await world.http.delete(`${tokensPath}/${id}`, { token: value })).status).toBe(403);
  });

  it('refuses application users, another organization’s admin and anonymous callers', async () => {
    const user = await signIn(world.http, world.acme, 'alice');
    expect((await world.http.post(tokensPath, { token: user, json: { name: 'x', access: 'read' } })).status).toBe(403);
    expect((await world.http.post(tokensPath, { token: world.globex.admin.token, json: { name: 'x', access: 'read' } })).status).toBe(403);
    expect((await world.http.post(tokensPath, { json: { name: 'x', access: 'read' } })).status).toBe(401);
  });

  it('lets the organization client create one, and refuses a bad body with 400', async () => {
    const answer = await world.http.post(`${tokensPath}?client_id=${world.acme.clientId}&client_secret=${world.acme.clientSecret}`, { json: { name: 'ci', access: 'full' } });
    expect(answer.status).toBe(200);
    expect((await world.http.post(tokensPath, { token: world.acme.admin.token, json: { name: 'x', access: 'admin' } })).status).toBe(400);
    expect((await world.http.post(tokensPath, { token: world.acme.admin.token, json: { name: '', access: 'read' } })).status).toBe(400);
    expect((await world.http.post(tokensPath, { token: world.acme.admin.token, json: { name: 'x', access: 'read', expires_in: -1 } })).status).toBe(400);
  });

  it('makes a token with expires_in that works until then and fails after', async () => {
    const { value, answer } = await create('read', { expires_in: 3600 });
    expect(answer.body.data.api_token.expires).toBe(world.clock.now() + 3_600_000);
    world.clock.advance(3_600_000 - 1);
    expect((await world.http.get('/acme/app/users', { token: value })).status).toBe(200);
    world.clock.advance(1);
    const expired = await world.http.get('/acme/app/users', { token: value });
    expect(expired.status).toBe(401);
    expect(expired.body.error).toBe('expired_token');
  });
});

describe('listApiTokens', () => {
  it('lists name, access, creation and last use, never the value', async () => {
    const { value, id } = await create('full', { name: 'listed' });
    const before = await world.http.get(tokensPath, { token: world.acme.admin.token });
    expect(before.status).toBe(200);
    const entry = () => before.body.data.api_tokens.find((t: { id: number }) => t.id === id);
    expect(entry()).toEqual({ id, name: 'listed', access: 'full', created: expect.any(Number), expires: null, last_used: null });
    expect(before.text).not.toContain(value);

    world.clock.advance(5000);
    await world.http.get('/acme/app/users', { token: value });
    const after = await world.http.get(tokensPath, { token: world.acme.admin.token });
    expect(after.body.data.api_tokens.find((t: { id: number }) => t.id === id).last_used).toBe(world.clock.now());
  });

  it("lists only the application's own tokens", async () => {
    const mine = await create('read', { name: 'mine' });
    const sandbox = await world.http.get('/management/orgs/acme/apps/sandbox/api-tokens', { token: world.acme.admin.token });
    expect(sandbox.status).toBe(200);
    expect(sandbox.body.data.api_tokens.map((t: { id: number }) => t.id)).not.toContain(mine.id);
  });
});

describe('revokeApiToken', () => {
  it('revokes a token, which fails on the very next request and leaves the list', async () => {
    const { value, id } = await create('full', { name: 'doomed' });
    expect((await world.http.get('/acme/app/users', { token: value })).status).toBe(200);
    const answer = await world.http.delete(`${tokensPath}/${id}`, { token: world.acme.admin.token });
    expect(answer.status).toBe(200);
    expect(answer.body.data.api_token).toMatchObject({ id, name: 'doomed' });
    const after = await world.http.get('/acme/app/users', { token: value });
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('invalid_token');
    const list = await world.http.get(tokensPath, { token: world.acme.admin.token });
    expect(list.body.data.api_tokens.map((t: { id: number }) => t.id)).not.toContain(id);
  });

  it("answers 404 for an unknown id, one already revoked, and another application's token", async () => {
    const { id } = await create('read');
    await world.http.delete(`${tokensPath}/${id}`, { token: world.acme.admin.token });
    expect((await world.http.delete(`${tokensPath}/${id}`, { token: world.acme.admin.token })).status).toBe(404);
    expect((await world.http.delete(`${tokensPath}/999999`, { token: world.acme.admin.token })).status).toBe(404);
    const other = await create('read');
    expect((await world.http.delete(`/management/orgs/acme/apps/sandbox/api-tokens/${other.id}`, { token: world.acme.admin.token })).status).toBe(404);
    // An admin's access token is not an API token, whatever its id.
    const adminTokenRow = await world.server.deps.db('tokens').where({ kind: 'access' }).first();
    expect((await world.http.delete(`${tokensPath}/${adminTokenRow.id}`, { token: world.acme.admin.token })).status).toBe(404);
  });
});

describe('an API token and its creator', () => {
  it('keeps working when the creator logs out everywhere, changes password or is removed', async () => {
    const creator = await adminSignIn(world.http, world.acme);
    const { value } = await create('full', { name: 'outlives' }, creator);
    expect((await world.http.post('/management/users/me/revoketokens', { token: creator })).status).toBe(200);
    expect((await world.http.get('/management/orgs/acme', { token: creator })).status).toBe(401);
    expect((await world.http.get('/acme/app/users', { token: value })).status).toBe(200);

    // There is no API yet to change an admin's password or remove an admin; do what those will do.
    const admin = (await world.server.deps.repositories.adminUsers.find(world.acme.admin.username))!;
    await world.server.deps.repositories.adminUsers.setPassword(admin.id, 'scrypt$changed', world.clock.now());
    await world.server.deps.tokens.revokeWhere({ subjectKind: 'admin', subjectId: admin.id });
    await world.server.deps.db('organization_admins').where({ admin_user_id: admin.id }).delete();
    await world.server.deps.db('admin_users').where({ id: admin.id }).delete();
    expect((await world.http.get('/acme/app/users', { token: value })).status).toBe(200);
    expect((await world.http.post('/acme/app/cats', { token: value, json: { name: 'survivor' } })).status).toBe(200);
    expect((await world.http.get('/acme/app/users', { token: await superuserToken(world.http) })).status).toBe(200);
  });
});
