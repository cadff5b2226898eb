import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm, tessera, type Tessera } from '../helpers/api.js';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { startTestServer, superuser, type TestServer } from '../helpers/server.js';
import { ok } from '../helpers/api.js';
import { adminToken } from './support.js';

let server: TestServer;
/** Untyped, for the bodies the spec forbids on purpose. */
let http: Client;
/** Typed and anonymous: a token request carries its credentials in its body. */
let api: Tessera;
let acme: OrganizationFixture;

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  api = tessera(server.url);
  acme = await createOrganization(server.url, 'acme');
});
afterAll(() => server.close());

describe('createManagementToken', () => {
  it('issues a 7-day admin token for a JSON password grant, with the admin and their organizations', async () => {
    const answer = await api.POST('/management/token', {
      body: { grant_type: 'password', username: acme.admin.username, password: acme.admin.password },
    });
    expect(answer.response.status).toBe(200);
    expect(answer.response.headers.get('cache-control')).toBe('no-store');
    const issued = adminToken(answer);
    expect(issued.access_token).toMatch(/^tsr_at_[A-Za-z0-9_-]{43}$/);
    expect(issued.expires_in).toBe(604800);
    expect(issued.user.username).toBe(acme.admin.username);
    expect(Object.keys(issued.user.organizations)).toEqual(['acme']);
    expect(issued.user.organizations.acme?.applications).toHaveProperty('acme/sandbox');
    expect(issued.user.organizations.acme?.applications).toHaveProperty('acme/app');
  });

  it('accepts a form-encoded body and the email in place of the username', async () => {
    const answer = await api.POST('/management/token', {
      body: { grant_type: 'password', username: acme.admin.email.toUpperCase(), password: acme.admin.password },
      ...asForm,
    });
    expect(answer.response.status).toBe(200);
    expect(adminToken(answer).user.email).toBe(acme.admin.email);
  });

  it('answers 400 invalid_grant for a wrong password and for an unknown user, alike', async () => {
    const wrong = await api.POST('/management/token', { body: { grant_type: 'password', username: acme.admin.username, password: 'nope-nope' } });
    const unknown = await api.POST('/management/token', { body: { grant_type: 'password', username: 'nobody', password: 'nope-nope' } });
    for (const answer of [wrong, unknown]) {
      expect(answer.response.status).toBe(400);
      expect(answer.error).toMatchObject({ error: 'invalid_grant', error_description: 'invalid username or password' });
      expect(answer.error?.timestamp).toEqual(expect.any(Number));
      expect(answer.error?.duration).toEqual(expect.any(Number));
    }
  });

  it('gives the superuser a token that says so', async () => {
    const answer = await api.POST('/management/token', { body: { grant_type: 'password', ...superuser } });
    expect(answer.response.status).toBe(200);
    expect(adminToken(answer).user.superuser).toBe(true);
  });

  it('honours a shorter ttl in milliseconds and refuses one over the maximum', async () => {
    const short = await api.POST('/management/token', { body: { grant_type: 'password', ...superuser, ttl: 60000 } });
    expect(ok(short).expires_in).toBe(60);
    const long = await api.POST('/management/token', { body: { grant_type: 'password', ...superuser, ttl: 604800001 } });
    expect(long.response.status).toBe(400);
    expect(long.error?.error).toBe('illegal_argument');
  });

  it('refuses an unknown grant_type and a missing password with 400', async () => {
    // 'telepathy' is outside the spec's grant_type enum: only the untyped client can send it.
    expect((await http.post('/management/token', { json: { grant_type: 'telepathy', username: 'x', password: 'y' } })).status).toBe(400);
    const missing = await api.POST('/management/token', { body: { grant_type: 'password', username: acme.admin.username } });
    expect(missing.response.status).toBe(400);
    expect(missing.error?.error).toBe('invalid_request');
  });

  it('makes the token work as Authorization: Bearer', async () => {
    const answer = await tessera(server.url, acme.admin.token).GET('/management/orgs');
    expect(answer.response.status).toBe(200);
    expect(ok(answer).data.organizations.map((o) => o.name)).toEqual(['acme']);
  });
});

describe('createManagementToken under brute force', () => {
  it('slows and then refuses repeated wrong passwords with 429 and Retry-After, records them, and lets the right user back in soon', async () => {
    const { ManualClock } = await import('../helpers/server.js');
    const clock = new ManualClock();
    const guarded = await startTestServer({ clock });
    try {
      const api = tessera(guarded.url);
      await createOrganization(guarded.url, 'target');
      const attempt = (password: string) => api.POST('/management/token', { body: { grant_type: 'password', username: 'target-admin', password } });
      // Five free wrong guesses; after them every attempt must wait, the right password included.
      for (let i = 0; i < 5; i++) expect((await attempt('guess-' + i)).response.status).toBe(400);
      const refused = await attempt('target-password');
      expect(refused.response.status).toBe(429);
      expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.error?.error).toBe('too_many_requests');
      const events = await guarded.deps.repositories.auditEvents.list({ subject: 'target-admin' });
      expect(events.filter((e) => e.type === 'auth.failed').map((e) => e.count)).toEqual([5]);
      expect(events.filter((e) => e.type === 'auth.throttled').map((e) => e.count)).toEqual([1]);
      clock.advance(Number(refused.response.headers.get('retry-after')) * 1000);
      expect((await attempt('target-password')).response.status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
