import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../helpers/api.js';
import type { World } from '../helpers/world.js';
import { expectEachRefused, newAdminUser, startAdminsWorld, type MadeAdmin } from './support.js';

let w: World;
let besides: Record<string, Credential>;
beforeAll(async () => {
  ({ world: w, besides } = await startAdminsWorld());
});
afterAll(() => w.server.close());

const add = (credential: Credential | undefined, user: string, org = 'acme') => w.api(credential).PUT('/management/orgs/{org}/users/{user}', { params: { path: { org, user } } });
const adminsOf = async (org: string) => (await w.api(w.root).GET('/management/orgs/{org}/users', { params: { path: { org } } })).data!.data.map((a) => a.username);
const readsAcme = async (token: string) => (await w.api(token).GET('/management/orgs/{org}', { params: { path: { org: 'acme' } } })).response.status;
const readsAcmeData = async (token: string) => (await w.api(token).GET('/{org}/{app}/users', { params: { path: { org: 'acme', app: 'app' } } })).response.status;

describe('addOrganizationAdmin', () => {
  let grace: MadeAdmin;
  beforeAll(async () => {
    grace = await newAdminUser(w.server.url, w.root, 'grace');
    // acme's admin and grace work together already: both are admins of grace's organization.
    await w.api(w.root).PUT('/management/orgs/{org}/users/{user}', { params: { path: { org: grace.home, user: w.acme.admin.username } } });
  });

  it('makes an existing admin an admin of the organization: their live token reaches it on the next request', async () => {
    expect(await readsAcme(grace.token)).toBe(403);
    const answer = await add(w.acme.admin.token, 'grace');
    expect(answer.response.status).toBe(200);
    expect(answer.data).toEqual({
      action: 'add user to organization',
      status: 'ok',
      data: { user: { uuid: grace.uuid, username: 'grace', email: grace.email, name: 'grace', activated: true } },
    });
    expect(await readsAcme(grace.token)).toBe(200);
    expect(await readsAcmeData(grace.token)).toBe(200);
    expect(await adminsOf('acme')).toEqual(['acme-admin', 'grace']);
    // Their own organization stays theirs.
    expect((await w.api(grace.token).GET('/management/users/{user}', { params: { path: { user: 'me' } } })).data!.data.organizations).toHaveProperty('grace-home');
  });

  it('is idempotent, and names the admin by email or uuid as well', async () => {
    for (const ref of ['grace', grace.email.toUpperCase(), grace.uuid]) expect((await add(w.acme.admin.token, ref)).response.status, ref).toBe(200);
    expect(await adminsOf('acme')).toEqual(['acme-admin', 'grace']);
  });

  it('lets the superuser add an admin to any organization', async () => {
    expect((await add(w.root, 'grace', 'globex')).response.status).toBe(200);
    expect(await adminsOf('globex')).toEqual(['globex-admin', 'grace']);
  });

  it('refuses to make the superuser an organization’s admin (400 illegal_argument): it reaches every organization already', async () => {
    for (const ref of ['me', 'superuser']) {
      const answer = await add(w.root, ref);
      expect(answer.response.status, ref).toBe(400);
      expect(answer.error).toMatchObject({ error: 'illegal_argument', timestamp: expect.any(Number) });
    }
    expect(await adminsOf('acme')).toEqual(['acme-admin', 'grace']);
  });

  it('answers 404 for an admin user or an organization that does not exist, adding nobody', async () => {
    const missing = await add(w.acme.admin.token, 'no-such-admin');
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ error: 'entity_not_found', timestamp: expect.any(Number) });
    expect((await add(w.root, 'grace', 'no-such-organization')).response.status).toBe(404);
    // An application user's name is no admin user.
    expect((await add(w.acme.admin.token, 'alice')).response.status).toBe(404);
    expect(await adminsOf('acme')).toEqual(['acme-admin', 'grace']);
  });

  it('finds no admin user the caller does not already share an organization with: 404 as if there were none, adding nobody', async () => {
    const ivan = await newAdminUser(w.server.url, w.root, 'ivan');
    for (const ref of ['ivan', ivan.email, ivan.uuid]) {
      const answer = await add(w.acme.admin.token, ref);
      expect(answer.response.status, ref).toBe(404);
      expect(answer.error).toMatchObject({ error: 'entity_not_found', error_description: `Could not find admin user ${ref}` });
    }
    expect(await adminsOf('acme')).toEqual(['acme-admin', 'grace']);
    // The superuser adds anyone; once ivan is globex's admin too, globex's admin may add him elsewhere.
    expect((await add(w.root, 'ivan', 'globex')).response.status).toBe(200);
    expect((await add(w.globex.admin.token, 'ivan', 'globex')).response.status).toBe(200);
  });

  it('refuses an admin who is not one of the organization’s (themselves included), every credential that is no admin user (403) and no credential (401)', async () => {
    const heidi = await newAdminUser(w.server.url, w.root, 'heidi');
    expect((await add(heidi.token, 'heidi')).response.status).toBe(403);
    expect((await add(heidi.token, 'me')).response.status).toBe(403);
    await expectEachRefused(besides, (credential) => add(credential, 'heidi'));
    expect((await add(undefined, 'heidi')).response.status).toBe(401);
    expect(await adminsOf('acme')).toEqual(['acme-admin', 'grace']);
    expect(await readsAcme(heidi.token)).toBe(403);
  });
});
