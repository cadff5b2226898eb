import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../helpers/api.js';
import type { World } from '../helpers/world.js';
import { expectEachRefused, newAdminUser, startAdminsWorld } from './support.js';

let w: World;
let besides: Record<string, Credential>;
beforeAll(async () => {
  ({ world: w, besides } = await startAdminsWorld());
});
afterAll(() => w.server.close());

const list = (credential: Credential | undefined, org = 'acme') => w.api(credential).GET('/management/orgs/{org}/users', { params: { path: { org } } });

describe('listOrganizationAdmins', () => {
  it('lists the organization’s admins for its admin and the superuser, without their other organizations or any secret', async () => {
    const frank = await newAdminUser(w.server.url, w.root, 'frank');
    await w.api(w.root).PUT('/management/orgs/{org}/users/{user}', { params: { path: { org: 'acme', user: 'frank' } } });
    for (const credential of [w.acme.admin.token, w.root, frank.token]) {
      const answer = await list(credential);
      expect(answer.response.status).toBe(200);
      expect(answer.data).toEqual({
        action: 'get organization users',
        status: 'ok',
        data: [
          { uuid: expect.any(String), username: 'acme-admin', email: 'admin@acme.example', name: 'acme-admin', activated: true },
          { uuid: frank.uuid, username: 'frank', email: frank.email, name: 'frank', activated: true },
        ],
      });
    }
    // The organization by its uuid names the same one.
    const acme = await w.asAdmin.GET('/management/orgs/{org}', { params: { path: { org: 'acme' } } });
    expect((await list(w.acme.admin.token, acme.data!.data.organization.uuid)).data!.data).toHaveLength(2);
  });

  it('refuses another organization’s admin and every credential that is no admin user, its own client included (403), and no credential (401)', async () => {
    expect((await list(w.globex.admin.token)).response.status).toBe(403);
    await expectEachRefused(besides, (credential) => list(credential));
    expect((await list(undefined)).response.status).toBe(401);
  });

  it('answers 404 for an organization that does not exist', async () => {
    const answer = await list(w.root, 'no-such-organization');
    expect(answer.response.status).toBe(404);
    expect(answer.error).toMatchObject({ error: expect.any(String), timestamp: expect.any(Number) });
  });
});
