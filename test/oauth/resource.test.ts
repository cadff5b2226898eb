import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../helpers/server.js';
import { oauthWorld, passwordTokens, token, type OAuthWorld } from './setup.js';

/** OAuth access tokens at work: bearer tokens on every route of their application, limited by their scopes. */

let world: OAuthWorld;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  world = await oauthWorld({ clock });
});
afterAll(() => world.server.close());

describe('OAuth access tokens on the application’s routes', () => {
  it('6750-01: work as Authorization: Bearer, whatever the case of the scheme', async () => {
    const { access_token } = await passwordTokens(world);
    expect((await world.http.get('/acme/app/users', { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
    expect((await world.http.get('/acme/app/users', { headers: { authorization: `bearer ${access_token}` } })).status).toBe(200);
  });

  it('6750-03: work as access_token in the query, with Cache-Control: private', async () => {
    const { access_token } = await passwordTokens(world);
    const answer = await world.http.get(`/acme/app/users?access_token=${access_token}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('private');
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('6750-04: refuse a token sent in the header and the query at once', async () => {
    const { access_token } = await passwordTokens(world);
    const answer = await world.http.get(`/acme/app/users?access_token=${access_token}`, { token: access_token });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('6750-05 and 6750-06: no token is a bare challenge; an expired or revoked one is invalid_token', async () => {
    const none = await world.http.get('/acme/app/users');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
    const { access_token } = await passwordTokens(world);
    clock.advance(7200_000);
    const expired = await world.http.get('/acme/app/users', { token: access_token });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer realm="tessera", error="invalid_token", error_description="[^"]+"$/);
  });

  it('6750-08 and 6750-09: a token without the write scope reads but may not write (403 insufficient_scope)', async () => {
    const readOnly = await passwordTokens(world, 'read');
    expect((await world.http.get('/acme/app/cats', { token: readOnly.access_token })).status).toBe(200);
    const write = await world.http.post('/acme/app/cats', { token: readOnly.access_token, json: { name: 'tom' } });
    expect(write.status).toBe(403);
    expect(write.body.error).toBe('insufficient_scope');
    expect(write.headers.get('www-authenticate')).toBe('Bearer realm="tessera", error="insufficient_scope", error_description="This credential may only read", scope="write"');
    const readWrite = await passwordTokens(world, 'read write');
    expect((await world.http.post('/acme/app/cats', { token: readWrite.access_token, json: { name: 'tom' } })).status).toBe(200);
  });

  it('act for the user they were issued to, and stop when the user is deactivated', async () => {
    const { access_token } = await passwordTokens(world);
    expect((await world.http.get('/acme/app/users', { token: access_token })).status).toBe(200);
    await world.http.put('/acme/app/users/alice', { token: world.org.admin.token, json: { activated: false } });
    expect((await world.http.get('/acme/app/users', { token: access_token })).status).toBe(401);
    await world.http.put('/acme/app/users/alice', { token: world.org.admin.token, json: { activated: true } });
  });

  it('act as the client for client credentials, within its application only', async () => {
    const answer = await token(world, { grant_type: 'client_credentials' });
    expect((await world.http.post('/acme/app/cats', { token: answer.body.access_token, json: { name: 'felix' } })).status).toBe(200);
    expect((await world.http.get('/acme/sandbox/cats', { token: answer.body.access_token })).status).toBe(403);
    expect((await world.http.get('/management/orgs/acme', { token: answer.body.access_token })).status).toBe(403);
    const readOnly = await token(world, { grant_type: 'client_credentials', scope: 'read' });
    expect((await world.http.post('/acme/app/cats', { token: readOnly.body.access_token, json: { name: 'garfield' } })).status).toBe(403);
  });

  it('do not include refresh tokens: a refresh token is no bearer credential', async () => {
    const { refresh_token } = await passwordTokens(world);
    const answer = await world.http.get('/acme/app/users', { token: refresh_token });
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_token');
  });

  it('reach no other application', async () => {
    const { access_token } = await passwordTokens(world);
    expect((await world.http.get('/acme/sandbox/users', { token: access_token })).status).toBe(403);
  });
});
