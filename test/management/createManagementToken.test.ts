import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, superuser, type TestServer } from '../helpers/server.js';

let server: TestServer;
let http: Client;
let acme: OrganizationFixture;

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  acme = await createOrganization(http, 'acme');
});
afterAll(() => server.close());

describe('createManagementToken', () => {
  it('issues a 7-day admin token for a JSON password grant, with the admin and their organizations', async () => {
    const answer = await http.post('/management/token', {
      json: { grant_type: 'password', username: acme.admin.username, password: acme.admin.password },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body.access_token).toMatch(/^tsr_at_[A-Za-z0-9_-]{43}$/);
    expect(answer.body.expires_in).toBe(604800);
    expect(answer.body.user.username).toBe(acme.admin.username);
    expect(Object.keys(answer.body.user.organizations)).toEqual(['acme']);
    expect(answer.body.user.organizations.acme.applications).toHaveProperty('acme/sandbox');
    expect(answer.body.user.organizations.acme.applications).toHaveProperty('acme/app');
  });

  it('accepts a form-encoded body and the email in place of the username', async () => {
    const answer = await http.post('/management/token', {
      form: { grant_type: 'password', username: acme.admin.email.toUpperCase(), password: acme.admin.password },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.user.email).toBe(acme.admin.email);
  });

  it('answers 400 invalid_grant for a wrong password and for an unknown user, alike', async () => {
    const wrong = await http.post('/management/token', { json: { grant_type: 'password', username: acme.admin.username, password: 'nope-nope' } });
    const unknown = await http.post('/management/token', { json: { grant_type: 'password', username: 'nobody', password: 'nope-nope' } });
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ error: 'invalid_grant', error_description: 'invalid username or password' });
      expect(answer.body.timestamp).toEqual(expect.any(Number));
      expect(answer.body.duration).toEqual(expect.any(Number));
    }
  });

  it('gives the superuser a token that says so', async () => {
    const answer = await http.post('/management/token', { json: { grant_type: 'password', ...superuser } });
    expect(answer.status).toBe(200);
    expect(answer.body.user.superuser).toBe(true);
  });

  it('honours a shorter ttl in milliseconds and refuses one over the maximum', async () => {
    const short = await http.post('/management/token', { json: { grant_type: 'password', ...superuser, ttl: 60000 } });
    expect(short.body.expires_in).toBe(60);
    const long = await http.post('/management/token', { json: { grant_type: 'password', ...superuser, ttl: 604800001 } });
    expect(long.status).toBe(400);
    expect(long.body.error).toBe('illegal_argument');
  });

  it('refuses an unknown grant_type and a missing password with 400', async () => {
    expect((await http.post('/management/token', { json: { grant_type: 'telepathy', username: 'x', password: 'y' } })).status).toBe(400);
    const missing = await http.post('/management/token', { json: { grant_type: 'password', username: acme.admin.username } });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe('invalid_request');
  });

  it('makes the token work as Authorization: Bearer', async () => {
    const answer = await http.get('/management/orgs', { token: acme.admin.token });
    expect(answer.status).toBe(200);
    expect(answer.body.data.organizations.map((o: { name: string }) => o.name)).toEqual(['acme']);
  });
});

describe('createManagementToken under brute force', () => {
  it('slows and then refuses repeated wrong passwords with 429 and Retry-After, records them, and lets the right user back in soon', async () => {
    const { ManualClock } = await import('../helpers/server.js');
    const clock = new ManualClock();
    const guarded = await startTestServer({ clock });
    try {
      const api = client(guarded.url);
      await createOrganization(api, 'target');
      const attempt = (password: string) => api.post('/management/token', { json: { grant_type: 'password', username: 'target-admin', password } });
      // Five free wrong guesses; after them every attempt must wait, the right password included.
      for (let i = 0; i < 5; i++) expect((await attempt('guess-' + i)).status).toBe(400);
      const refused = await attempt('target-password');
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body.error).toBe('too_many_requests');
      const events = await guarded.deps.repositories.auditEvents.list({ subject: 'target-admin' });
      expect(events.filter((e) => e.type === 'auth.failed')).toHaveLength(5);
      expect(events.filter((e) => e.type === 'auth.throttled')).toHaveLength(1);
      clock.advance(Number(refused.headers.get('retry-after')) * 1000);
      expect((await attempt('target-password')).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
