import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../helpers/api.js';
import { qb } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, api, acme } = {} as World;
beforeAll(async () => ({ server, http, api, acme } = await startWorld()));
afterAll(() => server.close());

/** The account key: the organization's uuid, as the management API shows it. */
async function accountKeyOf(org: typeof acme): Promise<string> {
  return ok(await api(org.admin.token).GET('/management/orgs/{org}', { params: { path: { org: org.name } } })).data.organization.uuid;
}
const withKey = (key: string) => ({ params: { header: { 'QB-Account-Key': key } } });

describe('GET /account_settings.json', () => {
  it("answers the server's own endpoints to an account key, with no session", async () => {
    const answer = await qb(http).GET('/account_settings.json', withKey(await accountKeyOf(acme)));
    expect(answer.response.status).toBe(200);
    const { origin, host } = new URL(server.url);
    expect(answer.data).toEqual({ account_id: expect.any(Number), api_endpoint: origin, chat_endpoint: host, turnserver_endpoint: host });
  });

  it('answers 404 "No account found" to a key that names no organization, and 422 without one', async () => {
    for (const key of ['3f1c2a4e-8d7b-4a36-9a57-0c1e2d3f4a5b', 'acme']) {
      const answer = await qb(http).GET('/account_settings.json', withKey(key));
      expect(answer.response.status).toBe(404);
      expect(answer.error).toEqual({ errors: { base: ['No account found'] } });
    }
    // A required header left out: the untyped client.
    const missing = await http.get('/account_settings.json');
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.body.errors)).toEqual(['qb-account-key']);
  });
});
