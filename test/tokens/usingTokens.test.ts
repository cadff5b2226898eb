import { describe, expect, it } from 'vitest';
import { adminSignIn, basic, signIn, tokenWorld } from './support.js';

const world = tokenWorld(['alice']);

describe('sending an access token', () => {
  it('works as Authorization: Bearer and as ?access_token=, alike', async () => {
    const token = await signIn(world.http, world.acme, 'alice');
    const byHeader = await world.http.get('/acme/app/users/alice', { token });
    const byQuery = await world.http.get(`/acme/app/users/alice?access_token=${token}`);
    expect(byHeader.status).toBe(200);
    expect(byQuery.status).toBe(200);
    expect(byQuery.body.entities).toEqual(byHeader.body.entities);
  });

  it('marks answers to a token in the query string private and without referrer (RFC 6750 §5.3), and only those', async () => {
    const token = await signIn(world.http, world.acme, 'alice');
    const byQuery = await world.http.get(`/acme/app/users/alice?access_token=${token}`);
    expect(byQuery.headers.get('cache-control')).toBe('private');
    expect(byQuery.headers.get('referrer-policy')).toBe('no-referrer');
    const byHeader = await world.http.get('/acme/app/users/alice', { token });
    expect(byHeader.headers.get('referrer-policy')).toBeNull();
  });

  it('works as access_token in a form-encoded POST body (RFC 6750 §2.2), which is never kept as data', async () => {
    const answer = await world.http.post('/acme/app/users', {
      form: { access_token: world.acme.admin.token, username: 'formed', password: 'formed-password' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.entities[0]).not.toHaveProperty('access_token');
    const stored = await world.server.deps.db('app_users').where({ username: 'formed' }).first();
    expect(stored.properties).not.toContain(world.acme.admin.token);
  });

  it('refuses a token sent by two mechanisms with 400 invalid_request, whichever two', async () => {
    const token = await signIn(world.http, world.acme, 'alice');
    const answers = [
      await world.http.get(`/acme/app/users/alice?access_token=${token}`, { token }),
      await world.http.get(`/acme/app/users/alice?access_token=${token}&client_id=${world.acme.app.clientId}&client_secret=${world.acme.app.clientSecret}`),
      await world.http.get(`/acme/app/users?client_id=${world.acme.app.clientId}&client_secret=${world.acme.app.clientSecret}`, { token }),
      await world.http.post(`/acme/app/users?access_token=${token}`, { form: { access_token: token, username: 'twice', password: 'twice-password' } }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_request');
    }
    expect(answers[0]!.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_request"/);
  });

  it("lets an admin's token into the admin's own organization only (§8 #12, 403 where Usergrid says 401)", async () => {
    expect((await world.http.get('/management/orgs/acme', { token: world.acme.admin.token })).status).toBe(200);
    for (const path of ['/management/orgs/globex', '/management/orgs/globex/apps', '/globex/app/users']) {
      expect((await world.http.get(path, { token: world.acme.admin.token })).status, path).toBe(403);
    }
  });

  it('reaches its own application and no other: an application user of acme is 403 in globex', async () => {
    const token = await signIn(world.http, world.acme, 'alice');
    expect((await world.http.get('/acme/app/users', { token })).status).toBe(200);
    expect((await world.http.get('/globex/app/users', { token })).status).toBe(403);
    expect((await world.http.get('/acme/sandbox/users', { token })).status).toBe(403);
    expect((await world.http.get('/management/orgs/acme', { token })).status).toBe(403);
  });
});

describe('a request without a good token', () => {
  it('answers 401 with a bare RFC 6750 challenge when no credential was sent', async () => {
    const answer = await world.http.get('/acme/app/users');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
  });

  it('answers bad, unknown and revoked tokens with one identical 401 invalid_token', async () => {
    const revoked = await signIn(world.http, world.acme, 'alice');
    await world.http.post('/acme/app/users/alice/revoketokens', { token: world.acme.admin.token });
    const answers = [
      await world.http.get('/acme/app/users', { token: 'tsr_at_never-issued' }),
      await world.http.get('/acme/app/users', { token: 'garbage' }),
      await world.http.get('/acme/app/users?access_token=blah'),
      await world.http.get('/acme/app/users', { token: revoked }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe(answers[0]!.headers.get('www-authenticate'));
      const { timestamp: _t, duration: _d, ...rest } = answer.body;
      expect(rest).toEqual({ error: 'invalid_token', error_description: 'Unable to authenticate: the access token is not valid' });
    }
    expect(answers[0]!.headers.get('www-authenticate')).toMatch(/^Bearer realm="tessera", error="invalid_token"/);
  });

  it('answers an expired token 401 expired_token, with error="invalid_token" in the challenge (§8 #6)', async () => {
    const token = await adminSignIn(world.http, world.acme, { ttl: 2000 });
    expect((await world.http.get('/management/orgs/acme', { token })).status).toBe(200);
    world.clock.advance(3000);
    const answer = await world.http.get('/management/orgs/acme', { token });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('expired_token');
    expect(answer.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });
});

describe('a token at the edge of its lifetime', () => {
  it('works 1 ms before it expires and fails at the very millisecond it does', async () => {
    const token = await signIn(world.http, world.acme, 'alice', { ttl: 60_000 });
    world.clock.advance(60_000 - 1);
    expect((await world.http.get('/acme/app/users/alice', { token })).status).toBe(200);
    world.clock.advance(1);
    const expired = await world.http.get('/acme/app/users/alice', { token });
    expect(expired.status).toBe(401);
    expect(expired.body.error).toBe('expired_token');
  });
});

describe('client credentials on any request', () => {
  it("authenticate as the organization, which reaches every one of its applications (§8 #21)", async () => {
    const pair = `client_id=${world.acme.clientId}&client_secret=${world.acme.clientSecret}`;
    expect((await world.http.get(`/acme/app/users?${pair}`)).status).toBe(200);
    expect((await world.http.get(`/acme/sandbox/users?${pair}`)).status).toBe(200);
    expect((await world.http.get(`/management/orgs/acme?${pair}`)).status).toBe(200);
    expect((await world.http.get(`/globex/app/users?${pair}`)).status).toBe(403);
  });

  it('authenticate as the application, which reaches that application only (§8 #21)', async () => {
    const pair = `client_id=${world.acme.app.clientId}&client_secret=${world.acme.app.clientSecret}`;
    expect((await world.http.get(`/acme/app/users?${pair}`)).status).toBe(200);
    expect((await world.http.get(`/acme/sandbox/users?${pair}`)).status).toBe(403);
    expect((await world.http.get(`/management/orgs/acme?${pair}`)).status).toBe(403);
  });

  it('answer 401 invalid_client for a wrong pair', async () => {
    const answer = await world.http.get(`/acme/app/users?client_id=${world.acme.app.clientId}&client_secret=tsr_cs_wrong`);
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_client');
  });

  it('are not taken from Authorization: Basic outside the token endpoints', async () => {
    const answer = await world.http.get('/acme/app/users', { headers: { authorization: basic(world.acme.app.clientId, world.acme.app.clientSecret) } });
    expect(answer.status).toBe(401);
  });
});

describe('authenticating by client credentials or an API token', () => {
  it('writes nothing: one indexed lookup, no insert, update or delete', async () => {
    const apiToken = (await world.http.post('/management/orgs/acme/apps/app/api-tokens', { token: world.acme.admin.token, json: { name: 'quiet', access: 'read' } })).body.data.access_token;
    const statements: string[] = [];
    const listen = (query: { sql: string }) => statements.push(query.sql);
    world.server.deps.db.on('query', listen);
    try {
      expect((await world.http.get(`/acme/app/users?client_id=${world.acme.app.clientId}&client_secret=${world.acme.app.clientSecret}`)).status).toBe(200);
      expect((await world.http.get('/acme/app/users', { token: apiToken })).status).toBe(200);
    } finally {
      world.server.deps.db.removeListener('query', listen);
    }
    expect(statements.filter((sql) => /^\s*(insert|update|delete)/i.test(sql))).toEqual([]);
  });
});
