import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, type Credential } from '../helpers/api.js';
import { acmeApp, type OrganizationFixture } from '../helpers/fixtures.js';
import { openSession, postSession, sessionNotFound, sessionRequest, withSession } from '../helpers/quickblox.js';
import { signIn } from '../helpers/users.js';
import { startWorld, type World } from '../helpers/world.js';

/**
 * Rotating credentials is what one does after a leak: everything obtained with the old secret dies
 * with it, whichever way it was obtained (the secret itself, or a token got with it), and nothing
 * obtained otherwise does.
 */
let world: World;
beforeAll(async () => {
  world = await startWorld({ users: { acme: ['alice'] } });
});
afterAll(() => world.server.close());
const appPath = { params: { path: acmeApp } };
const clientPair = (org: OrganizationFixture, owner: 'organization' | 'application'): Credential => ({
  query: owner === 'organization' ? { client_id: org.clientId, client_secret: org.clientSecret } : { client_id: org.app.clientId, client_secret: org.app.clientSecret },
});

/** The status a bearer token gets reading alice in acme's application. */
const statusWith = async (token: string) =>
  (await world.api(token).GET('/{org}/{app}/users/{user}', { params: { path: { ...acmeApp, user: 'alice' } } })).response.status;
const mintAlice = async (credential: Credential) =>
  ok(await world.api(credential).GET('/{org}/{app}/users/{user}/token', { params: { path: { ...acmeApp, user: 'alice' } } })).access_token;
const apiToken = async (credential: Credential, name: string) =>
  ok(await world.api(credential).POST('/management/orgs/{org}/apps/{app}/api-tokens', { ...appPath, body: { name, access: 'full' } })).data.access_token;

describe("rotating an application's credentials", () => {
  it('ends every QuickBlox session of the application, application and user sessions alike, and no other application’s', async () => {
    const { http, clock, acme, globex } = world;
    const appSession = withSession(http, await openSession(http, acme, clock));
    const userSession = withSession(http, await openSession(http, acme, clock, { user: { login: 'alice', password: 'alice-password' } }));
    const globexSession = withSession(http, await openSession(http, globex, clock));

    const rotated = ok(await world.api(acme.admin.token).POST('/management/orgs/{org}/apps/{app}/credentials', appPath)).credentials;
    for (const session of [appSession, userSession]) {
      const answer = await session.GET('/session.json');
      expect(answer.response.status).toBe(401);
      expect(answer.error).toEqual(sessionNotFound);
    }
    expect((await globexSession.GET('/session.json')).response.status).toBe(200);

    const signedWithOld = await postSession(world.api(), sessionRequest(acme, clock));
    expect(signedWithOld.response.status).toBe(422);
    acme.app.clientSecret = rotated.client_secret;
    acme.app.authSecret = rotated.auth_secret;
    expect((await postSession(world.api(), sessionRequest(acme, clock))).response.status).toBe(201);
  });

  it('revokes its client’s tokens and the user tokens minted with its secret or with such a token, and nothing else', async () => {
    const { acme } = world;
    const clientToken = ok(await world.api().POST('/{org}/{app}/token', {
      ...appPath, body: { grant_type: 'client_credentials', client_id: acme.app.clientId, client_secret: acme.app.clientSecret },
    })).access_token;
    const mintedWithSecret = await mintAlice(clientPair(acme, 'application'));
    const mintedWithClientToken = await mintAlice(clientToken);
    const mintedByAdmin = await mintAlice(acme.admin.token);
    const alicesOwn = await signIn(world.http, acme, 'alice');
    for (const token of [clientToken, mintedWithSecret, mintedWithClientToken, mintedByAdmin, alicesOwn]) expect(await statusWith(token)).toBe(200);

    const rotated = ok(await world.api(acme.admin.token).POST('/management/orgs/{org}/apps/{app}/credentials', appPath)).credentials;
    acme.app.clientSecret = rotated.client_secret;
    acme.app.authSecret = rotated.auth_secret;
    for (const token of [clientToken, mintedWithSecret, mintedWithClientToken]) expect(await statusWith(token)).toBe(401);
    for (const token of [mintedByAdmin, alicesOwn]) expect(await statusWith(token)).toBe(200);
  });
});

describe("rotating an organization's credentials", () => {
  it('revokes its client’s tokens, and the API tokens and user tokens made with its secret or its tokens, and nothing else', async () => {
    const { acme } = world;
    const clientToken = ok(await world.api().POST('/management/token', {
      body: { grant_type: 'client_credentials', client_id: acme.clientId, client_secret: acme.clientSecret },
    })).access_token;
    const fromClient = [
      clientToken,
      await apiToken(clientPair(acme, 'organization'), 'made with the organization secret'),
      await apiToken(clientToken, 'made with the organization client token'),
      await mintAlice(clientPair(acme, 'organization')),
    ];
    const byAdmin = [await apiToken(acme.admin.token, 'made by the admin'), await mintAlice(acme.admin.token)];
    for (const token of [...fromClient, ...byAdmin]) expect(await statusWith(token)).toBe(200);

    acme.clientSecret = ok(await world.api(acme.admin.token).POST('/management/orgs/{org}/credentials', { params: { path: { org: 'acme' } } })).credentials.client_secret;
    for (const token of fromClient) expect(await statusWith(token)).toBe(401);
    for (const token of byAdmin) expect(await statusWith(token)).toBe(200);
  });
});

describe('a rotation racing requests that use the old secret', () => {
  it('leaves alive nothing those requests were issued, whichever finished first', async () => {
    const { acme } = world;
    const pair = clientPair(acme, 'application');
    const grant = () =>
      world.api().POST('/{org}/{app}/token', { ...appPath, body: { grant_type: 'client_credentials', client_id: acme.app.clientId, client_secret: acme.app.clientSecret } });
    const mint = () => world.api(pair).GET('/{org}/{app}/users/{user}/token', { params: { path: { ...acmeApp, user: 'alice' } } });
    // Requests checked against the old secret are under way when the rotation lands among them.
    const requests = Array.from({ length: 60 }, (_, i) => (i % 2 ? grant() : mint()));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const rotation = world.api(acme.admin.token).POST('/management/orgs/{org}/apps/{app}/credentials', appPath);
    const answers = await Promise.all(requests);
    const rotated = ok(await rotation).credentials;
    acme.app.clientSecret = rotated.client_secret;
    acme.app.authSecret = rotated.auth_secret;
    const issued = answers.flatMap((answer) => (answer.data ? [answer.data.access_token] : []));
    const survivors = [];
    for (const token of issued) if ((await statusWith(token)) !== 401) survivors.push(token);
    expect(survivors).toEqual([]);
  });
});
