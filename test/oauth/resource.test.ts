import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../helpers/api.js';
import { acmeApp } from '../helpers/fixtures.js';
import { granted, passwordTokens, token } from '../helpers/oauth.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

/** OAuth access tokens at work: bearer tokens on every route of their application, limited by their scopes. */

let world: OAuthWorld;
const clock = new ManualClock(Date.now());

beforeAll(async () => {
  world = await startWorld({ clock, oauth: true });
});
afterAll(() => world.server.close());

/** The application's routes, presenting `credential`. */
const users = (credential?: Credential, app = 'app') => world.api(credential).GET('/{org}/{app}/users', { params: { path: { org: 'acme', app } } });
const cats = (credential?: Credential, app = 'app') => world.api(credential).GET('/{org}/{app}/{collection}', { params: { path: { org: 'acme', app, collection: 'cats' } } });
const newCat = (credential: Credential, name: string) =>
  world.api(credential).POST('/{org}/{app}/{collection}', { params: { path: { ...acmeApp, collection: 'cats' } }, body: { name } });
const setActivated = (activated: boolean) =>
  world.api(world.acme.admin.token).PUT('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: 'alice' } }, body: { activated } });

describe('OAuth access tokens on the application’s routes', () => {
  it('6750-01: work as Authorization: Bearer, whatever the case of the scheme', async () => {
    const { access_token } = await passwordTokens(world);
    expect((await users({ headers: { authorization: `Bearer ${access_token}` } })).response.status).toBe(200);
    expect((await users({ headers: { authorization: `bearer ${access_token}` } })).response.status).toBe(200);
  });

  it('6750-03: work as access_token in the query, with Cache-Control: private', async () => {
    const { access_token } = await passwordTokens(world);
    const answer = await world.api().GET('/{org}/{app}/users', { params: { path: acmeApp, query: { access_token } } });
    expect(answer.response.status).toBe(200);
    expect(answer.response.headers.get('cache-control')).toBe('private');
    expect(answer.response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('6750-04: refuse a token sent in the header and the query at once', async () => {
    const { access_token } = await passwordTokens(world);
    // Raw: one credential by two mechanisms at once.
    const answer = await world.http.get(`/acme/app/users?access_token=${access_token}`, { token: access_token });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_request"');
  });

  it('6750-05 and 6750-06: no token is a bare challenge; an expired or revoked one is invalid_token', async () => {
    const none = await users();
    expect(none.response.status).toBe(401);
    expect(none.response.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
    const { access_token } = await passwordTokens(world);
    clock.advance(7200_000);
    const expired = await users(access_token);
    expect(expired.response.status).toBe(401);
    expect(expired.response.headers.get('www-authenticate')).toMatch(/^Bearer realm="tessera", error="invalid_token", error_description="[^"]+"$/);
  });

  it('6750-08 and 6750-09: a token without the write scope reads but may not write (403 insufficient_scope)', async () => {
    const readOnly = await passwordTokens(world, 'read');
    expect((await cats(readOnly.access_token)).response.status).toBe(200);
    const write = await newCat(readOnly.access_token, 'tom');
    expect(write.response.status).toBe(403);
    expect(write.error?.error).toBe('insufficient_scope');
    expect(write.response.headers.get('www-authenticate')).toBe('Bearer realm="tessera", error="insufficient_scope", error_description="This credential may only read", scope="write"');
    const readWrite = await passwordTokens(world, 'read write');
    expect((await newCat(readWrite.access_token, 'tom')).response.status).toBe(200);
  });

  it('act for the user they were issued to, and stop when the user is deactivated', async () => {
    const { access_token } = await passwordTokens(world);
    expect((await users(access_token)).response.status).toBe(200);
    await setActivated(false);
    expect((await users(access_token)).response.status).toBe(401);
    await setActivated(true);
  });

  it('act as the client for client credentials, within its application only', async () => {
    const { access_token } = granted(await token(world, { grant_type: 'client_credentials' }));
    expect((await newCat(access_token, 'felix')).response.status).toBe(200);
    expect((await cats(access_token, 'sandbox')).response.status).toBe(403);
    expect((await world.api(access_token).GET('/management/orgs/{org}', { params: { path: { org: 'acme' } } })).response.status).toBe(403);
    const readOnly = granted(await token(world, { grant_type: 'client_credentials', scope: 'read' }));
    expect((await newCat(readOnly.access_token, 'garfield')).response.status).toBe(403);
  });

  it('do not include refresh tokens: a refresh token is no bearer credential', async () => {
    const { refresh_token } = await passwordTokens(world);
    const answer = await users(refresh_token);
    expect(answer.response.status).toBe(401);
    expect(answer.error?.error).toBe('invalid_token');
  });

  it('reach no other application', async () => {
    const { access_token } = await passwordTokens(world);
    expect((await users(access_token, 'sandbox')).response.status).toBe(403);
  });
});
