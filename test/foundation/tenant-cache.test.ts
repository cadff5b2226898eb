import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationRecord } from '../../src/db/repositories/organizations.js';
import { TenantCache } from '../../src/db/tenant-cache.js';
import { demo, seedDemo } from '../../src/seed/demo.js';
import { ManualClock, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The organizations and applications request paths name are cached (src/db/tenant-cache.ts): a
 * write through this instance applies at once, a write by another process within the TTL.
 */
describe('the tenant cache', () => {
  const clock = new ManualClock();
  let server: TestServer;
  let organizationId: number;

  beforeAll(async () => {
    server = await startTestServer({ clock });
    await seedDemo(server.deps);
    organizationId = (await server.deps.tenants.organization('demo'))!.id;
  });
  afterAll(() => server.close());

  const storefront = () => server.deps.tenants.application(organizationId, 'storefront');
  /** What another instance does: a write to the row that this one's repositories never see. */
  const writeBehindItsBack = (sessionTtlS: number) => server.deps.db('applications').where({ name: 'storefront' }).update({ session_ttl_s: sessionTtlS });

  it('keeps an application for its TTL, so a write by another process shows within it and not before', async () => {
    const before = (await storefront())!.sessionTtlS;
    await writeBehindItsBack(before + 1);
    expect((await storefront())!.sessionTtlS).toBe(before);
    clock.advance(server.config.tenantCacheTtlMs);
    expect((await storefront())!.sessionTtlS).toBe(before + 1);
  });

  it('keeps an application by its id the same way: a write here at once, one by another process within the TTL', async () => {
    const id = (await storefront())!.id;
    const byId = () => server.deps.tenants.applicationById(id);
    const before = (await byId())!.sessionTtlS;
    await writeBehindItsBack(before + 10);
    expect((await byId())!.sessionTtlS).toBe(before);
    await server.deps.repositories.applications.updateSettings(id, { sessionTtlS: before + 20 }, clock.now());
    expect((await byId())!.sessionTtlS).toBe(before + 20);
    await writeBehindItsBack(before + 30);
    clock.advance(server.config.tenantCacheTtlMs);
    expect((await byId())!.sessionTtlS).toBe(before + 30);
    expect(Object.isFrozen(await byId())).toBe(true);
    expect(await server.deps.tenants.applicationById(987_654)).toBeUndefined();
  });

  it('hands out records frozen to the last array, so no handler can change what other requests read', async () => {
    const client = (await server.deps.tenants.oauthClient(demo.oauthClient.clientId))!;
    expect(Object.isFrozen(client)).toBe(true);
    expect(Object.isFrozen(client.redirectUris)).toBe(true);
    expect(Object.isFrozen(client.grantTypes)).toBe(true);
    expect(() => client.redirectUris.push('https://attacker.example/callback')).toThrow(TypeError);
    expect((await server.deps.tenants.oauthClient(demo.oauthClient.clientId))!.redirectUris).not.toContain('https://attacker.example/callback');
  });

  it('applies a write through this instance at once, in a transaction too', async () => {
    const application = (await storefront())!;
    await server.deps.repositories.applications.updateSettings(application.id, { sessionTtlS: 4321 }, clock.now());
    expect((await storefront())!.sessionTtlS).toBe(4321);
    await server.deps.transaction((r) => r.applications.updateSettings(application.id, { sessionTtlS: 5432 }, clock.now()));
    expect((await storefront())!.sessionTtlS).toBe(5432);
  });

  it('does not keep what it read while a write happened (the write may have landed after the read)', async () => {
    // A source whose answer the test releases, so the write falls between the read and its answer.
    let release!: (record: OrganizationRecord) => void;
    const loads: string[] = [];
    const cache = new TenantCache(
      {
        organizations: { find: (ref) => (loads.push(ref), new Promise<OrganizationRecord>((resolve) => (release = resolve))), findByClientId: async () => undefined },
        applications: { findInOrganization: async () => undefined, findByClientId: async () => undefined, findById: async () => undefined },
        oauthClients: { findByClientId: async () => undefined },
      },
      clock,
      { ttlMs: 60_000, size: 10 },
    );
    const record = { id: 1, uuid: 'u', name: 'demo', clientId: 'c', clientSecretHash: 'h', createdAt: 0, modifiedAt: 0 };
    const reading = cache.organization('demo');
    cache.changed();
    release(record);
    await reading;
    const again = cache.organization('demo');
    release(record);
    await again;
    expect(loads).toEqual(['demo', 'demo']);
    await cache.organization('demo');
    expect(loads).toEqual(['demo', 'demo']); // kept now: no write since
  });

  it('never caches a name that does not exist, and hands out records nobody can change in place', async () => {
    expect(await server.deps.tenants.organization('acme')).toBeUndefined();
    const demo = (await server.deps.db('organizations').where({ name: 'demo' }).first()) as Record<string, unknown>;
    await server.deps.db('organizations').insert({ ...demo, id: undefined, uuid: '0d0a5e6c-0000-4000-8000-000000000001', name: 'acme', client_id: 'acme-client' });
    expect((await server.deps.tenants.organization('acme'))?.name).toBe('acme');
    const application = (await storefront())!;
    expect(() => Object.assign(application, { appSessionAccess: 'read-all' })).toThrow(TypeError);
  });
});
