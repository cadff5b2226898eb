import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera, type Credential } from '../helpers/api.js';
import { createOrganization, superuserToken } from '../helpers/fixtures.js';
import { startTwoInstances, type TestServer, type TwoInstances } from '../helpers/server.js';
import type { World } from '../helpers/world.js';
import { expectEachRefused, newAdminUser, startAdminsWorld } from './support.js';

let w: World;
let besides: Record<string, Credential>;
beforeAll(async () => {
  ({ world: w, besides } = await startAdminsWorld());
});
afterAll(() => w.server.close());

const path = (org: string, user: string) => ({ params: { path: { org, user } } });
const add = (credential: Credential, user: string, org = 'acme') => w.api(credential).PUT('/management/orgs/{org}/users/{user}', path(org, user));
const remove = (credential: Credential | undefined, user: string, org = 'acme') => w.api(credential).DELETE('/management/orgs/{org}/users/{user}', path(org, user));
const adminsOf = async (org: string) => (await w.api(w.root).GET('/management/orgs/{org}/users', { params: { path: { org } } })).data!.data.map((a) => a.username);
const readsOrganization = async (token: string, org = 'acme') => (await w.api(token).GET('/management/orgs/{org}', { params: { path: { org } } })).response.status;
const readsApplicationData = async (token: string) => (await w.api(token).GET('/{org}/{app}/users', { params: { path: { org: 'acme', app: 'app' } } })).response.status;
const writesApplicationData = async (token: string) =>
  (await w.api(token).POST('/{org}/{app}/{collection}', { params: { path: { org: 'acme', app: 'app', collection: 'cats' } }, body: { name: `cat-${Math.random()}` } })).response.status;

describe('removeOrganizationAdmin', () => {
  it('takes the organization’s reach from the removed admin’s live tokens on the very next request, and leaves their own organization', async () => {
    const ivan = await newAdminUser(w.server.url, w.root, 'ivan');
    await add(w.root, 'ivan');
    // A second token of ivan's, besides the one the helper signed in with.
    const second = (await w.api().POST('/management/token', { body: { grant_type: 'password', username: 'ivan', password: ivan.password } })).data!.access_token;
    for (const token of [ivan.token, second]) {
      expect(await readsOrganization(token)).toBe(200);
      expect(await readsApplicationData(token)).toBe(200);
    }
    const answer = await remove(w.acme.admin.token, 'ivan');
    expect(answer.response.status).toBe(200);
    expect(answer.data).toEqual({
      action: 'remove user from organization',
      status: 'ok',
      data: { user: { uuid: ivan.uuid, username: 'ivan', email: ivan.email, name: 'ivan', activated: true } },
    });
    for (const token of [ivan.token, second]) {
      expect(await readsOrganization(token)).toBe(403);
      expect(await readsApplicationData(token)).toBe(403);
      expect(await writesApplicationData(token)).toBe(403);
      expect((await add(token, 'ivan')).response.status).toBe(403);
      expect(await readsOrganization(token, ivan.home)).toBe(200);
    }
    expect(await adminsOf('acme')).toEqual(['acme-admin']);
    expect(Object.keys((await w.api(ivan.token).GET('/management/users/{user}', { params: { path: { user: 'me' } } })).data!.data.organizations)).toEqual([ivan.home]);
  });

  it('lets an admin leave (me) and the superuser remove anyone, by username, email or uuid', async () => {
    const judy = await newAdminUser(w.server.url, w.root, 'judy');
    await add(w.root, 'judy');
    expect((await remove(judy.token, 'me')).response.status).toBe(200);
    expect(await readsOrganization(judy.token)).toBe(403);
    for (const ref of [judy.email, judy.uuid, 'JUDY']) {
      await add(w.root, 'judy');
      expect((await remove(w.root, ref)).response.status, ref).toBe(200);
    }
    expect(await adminsOf('acme')).toEqual(['acme-admin']);
  });

  it('never removes the last admin (409 unable_to_leave_organization), whoever asks', async () => {
    for (const credential of [w.acme.admin.token, w.root]) {
      const answer = await remove(credential, 'acme-admin');
      expect(answer.response.status).toBe(409);
      expect(answer.error).toMatchObject({ error: 'unable_to_leave_organization', error_description: expect.any(String), timestamp: expect.any(Number) });
    }
    expect((await remove(w.acme.admin.token, 'me')).response.status).toBe(409);
    expect(await adminsOf('acme')).toEqual(['acme-admin']);
    expect(await readsOrganization(w.acme.admin.token)).toBe(200);
  });

  it('keeps one admin when the last two are removed at the same moment', async () => {
    for (let round = 0; round < 6; round++) {
      const first = await newAdminUser(w.server.url, w.root, `race-${round}-a`);
      const second = await newAdminUser(w.server.url, w.root, `race-${round}-b`);
      await add(w.root, second.username, first.home);
      // Each removes the other, and the superuser removes both, all at once.
      const answers = await Promise.all([
        remove(first.token, second.username, first.home),
        remove(second.token, first.username, first.home),
        remove(w.root, first.username, first.home),
        remove(w.root, second.username, first.home),
      ]);
      const statuses = answers.map((a) => a.response.status);
      expect(statuses.filter((s) => s === 200), `round ${round}: ${statuses}`).toHaveLength(1);
      expect(statuses.every((s) => [200, 403, 404, 409].includes(s)), `round ${round}: ${statuses}`).toBe(true);
      expect(await adminsOf(first.home), `round ${round}`).toHaveLength(1);
    }
  });

  it('answers 404 for an admin who is not one of the organization’s, an unknown admin and an unknown organization', async () => {
    for (const ref of [w.globex.admin.username, 'no-such-admin']) {
      const answer = await remove(w.acme.admin.token, ref);
      expect(answer.response.status, ref).toBe(404);
      expect(answer.error).toMatchObject({ error: 'entity_not_found', timestamp: expect.any(Number) });
    }
    expect((await remove(w.root, 'acme-admin', 'no-such-organization')).response.status).toBe(404);
  });

  it('refuses another organization’s admin, every credential that is no admin user (403) and no credential (401), removing nobody', async () => {
    const kate = await newAdminUser(w.server.url, w.root, 'kate');
    await add(w.root, 'kate');
    expect((await remove(w.globex.admin.token, 'kate')).response.status).toBe(403);
    await expectEachRefused(besides, (credential) => remove(credential, 'kate'));
    expect((await remove(undefined, 'kate')).response.status).toBe(401);
    expect(await adminsOf('acme')).toEqual(['acme-admin', 'kate']);
    expect(await readsOrganization(kate.token)).toBe(200);
  });
});

const onPostgres = /^postgres(ql)?:\/\//.test(process.env.TEST_DATABASE_URL ?? '');

describe.runIf(onPostgres)('removeOrganizationAdmin on two instances of one database', () => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    instances = await startTwoInstances();
    ({ a, b } = instances);
    await createOrganization(a.url, 'acme');
  });
  afterAll(() => instances?.close());

  it('refuses the removed admin’s token on the other instance on the very next request', async () => {
    const root = await superuserToken(a.url);
    const lena = await newAdminUser(a.url, root, 'lena');
    const onA = tessera(a.url, root);
    const readsAcmeOnB = async () => (await tessera(b.url, lena.token).GET('/management/orgs/{org}', { params: { path: { org: 'acme' } } })).response.status;
    await onA.PUT('/management/orgs/{org}/users/{user}', path('acme', 'lena'));
    // B has the token in its cache and has let it into acme.
    expect(await readsAcmeOnB()).toBe(200);
    expect((await onA.DELETE('/management/orgs/{org}/users/{user}', path('acme', 'lena'))).response.status).toBe(200);
    expect(await readsAcmeOnB()).toBe(403);
  });
});
