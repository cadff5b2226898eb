import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Credential } from '../helpers/api.js';
import type { World } from '../helpers/world.js';
import { expectEachRefused, newAdminUser, startAdminsWorld, type MadeAdmin } from './support.js';

let w: World;
let coAdmin: MadeAdmin;
let besides: Record<string, Credential>;
beforeAll(async () => {
  ({ world: w, besides } = await startAdminsWorld());
  // An admin of acme besides its owner, who must still not read the owner's record.
  coAdmin = await newAdminUser(w.server.url, w.root, 'co-admin');
  await w.api(w.root).PUT('/management/orgs/{org}/users/{user}', { params: { path: { org: 'acme', user: coAdmin.username } } });
});
afterAll(() => w.server.close());

const read = (credential: Credential | undefined, user: string) => w.api(credential).GET('/management/users/{user}', { params: { path: { user } } });

describe('getAdminUser', () => {
  it('shows the admin themselves by me, username, email and uuid, with their organizations and no secret', async () => {
    const me = await read(w.acme.admin.token, 'me');
    expect(me.response.status).toBe(200);
    expect(me.data).toMatchObject({
      action: 'get admin user',
      status: 'ok',
      data: { username: 'acme-admin', email: 'admin@acme.example', activated: true, superuser: false, organizations: { acme: { name: 'acme' } } },
    });
    const uuid = me.data!.data.uuid;
    for (const ref of ['acme-admin', 'ACME-Admin', 'admin@acme.example', uuid]) {
      const answer = await read(w.acme.admin.token, ref);
      expect(answer.response.status, ref).toBe(200);
      expect(answer.data!.data.uuid).toBe(uuid);
    }
    const text = JSON.stringify(me.data);
    expect(text).not.toMatch(/password|hash|secret|scrypt/i);
  });

  it('lets the superuser read any admin, and answers 404 for one that does not exist', async () => {
    const answer = await read(w.root, w.globex.admin.username);
    expect(answer.response.status).toBe(200);
    expect(Object.keys(answer.data!.data.organizations)).toEqual(['globex']);
    const missing = await read(w.root, 'no-such-admin');
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ error: 'entity_not_found', timestamp: expect.any(Number) });
  });

  it('refuses a co-admin of the same organization and another organization’s admin (403), the record lists organizations they do not share', async () => {
    expect((await read(coAdmin.token, w.acme.admin.username)).response.status).toBe(403);
    expect((await read(w.globex.admin.token, w.acme.admin.username)).response.status).toBe(403);
    // An admin cannot tell a missing admin from one they may not read.
    expect((await read(w.globex.admin.token, 'no-such-admin')).response.status).toBe(403);
  });

  it('refuses every credential that is not an admin user (403; a client pair, which these routes do not take, 401) and no credential (401)', async () => {
    await expectEachRefused(besides, (credential) => read(credential, w.acme.admin.username), 401);
    expect((await read(undefined, w.acme.admin.username)).response.status).toBe(401);
    expect((await read(undefined, 'me')).response.status).toBe(401);
  });

  it('takes the token in the query string as Usergrid clients send it', async () => {
    const answer = await read({ query: { access_token: w.acme.admin.token } }, 'me');
    expect(answer.response.status).toBe(200);
  });
});
