import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeApp } from '../helpers/fixtures.js';
import { granted, introspect, token, type RegisteredClient } from '../helpers/oauth.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

/**
 * The clients requests authenticate as (an organization's or application's Usergrid client id, an
 * OAuth client) are read through the tenant cache (src/db/tenant-cache.ts): a rotated secret or a
 * deleted client applies to the very next request on this instance, a write by another process
 * within the cache's TTL; and tokens issued from a stale record do not outlive the client.
 */
describe('the client cache', () => {
  const clock = new ManualClock();
  let world: OAuthWorld;

  beforeAll(async () => {
    world = (await startWorld({ clock, oauth: true })) as OAuthWorld;
  });
  afterAll(() => world.server.close());

  const tenants = () => world.server.deps.tenants;
  const db = () => world.server.deps.db;
  const newClient = () => world.register({ name: 'Batch job', grant_types: ['client_credentials'] });
  /** A read by an application's client id and secret in the query string (the clientCredentials scheme). */
  const readUsers = async (clientId: string, clientSecret: string) =>
    (await fetch(`${world.server.url}/acme/app/users?${new URLSearchParams({ client_id: clientId, client_secret: clientSecret })}`)).status;
  const clientCredentials = (client: RegisteredClient) => token(world, { grant_type: 'client_credentials' }, client);
  const liveTokensOf = async (clientId: string) => (await db()('tokens').where({ client_id: clientId }).whereNull('revoked_at')).length;

  it('keeps a client for its TTL, so a secret rotated or a client deleted by another process shows within it and not before', async () => {
    const client = await newClient();
    const before = (await tenants().applicationByClientId(world.acme.app.clientId))!.clientSecretHash;
    expect(await tenants().oauthClient(client.client_id)).toBeDefined();
    // What another instance does: writes this one's repositories never see.
    await db()('applications').where({ client_id: world.acme.app.clientId }).update({ client_secret_hash: 'rotated elsewhere' });
    await db()('oauth_clients').where({ client_id: client.client_id }).delete();
    expect((await tenants().applicationByClientId(world.acme.app.clientId))!.clientSecretHash).toBe(before);
    expect(await tenants().oauthClient(client.client_id)).toBeDefined();
    clock.advance(world.server.config.tenantCacheTtlMs);
    expect((await tenants().applicationByClientId(world.acme.app.clientId))!.clientSecretHash).toBe('rotated elsewhere');
    expect(await tenants().oauthClient(client.client_id)).toBeUndefined();
    await db()('applications').where({ client_id: world.acme.app.clientId }).update({ client_secret_hash: before });
    clock.advance(world.server.config.tenantCacheTtlMs);
  });

  it("refuses an application's old secret on the very next request once it is rotated through this instance", async () => {
    const { clientId, clientSecret } = world.acme.app;
    expect(await readUsers(clientId, clientSecret)).toBe(200);
    expect(await readUsers(clientId, clientSecret)).toBe(200); // now from the cache
    const rotated = await world.asAdmin.POST('/management/orgs/{org}/apps/{app}/credentials', { params: { path: acmeApp } });
    expect(rotated.response.status).toBe(200);
    const fresh = (rotated.data as { credentials: { client_secret: string } }).credentials.client_secret;
    expect(await readUsers(clientId, clientSecret)).toBe(401);
    expect(await readUsers(clientId, fresh)).toBe(200);
    world.acme.app.clientSecret = fresh;
  });

  it('refuses an OAuth client on the very next request once it is deleted through this instance', async () => {
    const client = await newClient();
    const issued = granted(await clientCredentials(client));
    expect((await introspect(world, issued.access_token, client)).data).toMatchObject({ active: true });
    const deleted = await world.asAdmin.DELETE('/management/orgs/{org}/apps/{app}/clients/{client}', { params: { path: { ...acmeApp, client: client.client_id } } });
    expect(deleted.response.status).toBe(204);
    expect((await introspect(world, issued.access_token, client)).response.status).toBe(401);
    expect((await clientCredentials(client)).response.status).toBe(401);
  });

  it('revokes what it issued to a client that another instance deleted while this one still had it cached', async () => {
    const client = await newClient();
    granted(await clientCredentials(client));
    // Another instance deletes the client and revokes its tokens; its notice has not arrived here yet.
    await db()('oauth_clients').where({ client_id: client.client_id }).delete();
    await db()('tokens').where({ client_id: client.client_id }).update({ revoked_at: clock.now() });
    expect(await tenants().oauthClient(client.client_id)).toBeDefined();
    const answer = await clientCredentials(client);
    expect(answer.response.status).toBe(401);
    expect(answer.error?.error).toBe('invalid_client');
    expect(await liveTokensOf(client.client_id)).toBe(0);
  });
});
