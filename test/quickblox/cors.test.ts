import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSession, withSession } from '../helpers/quickblox.js';
import { startWorld, type World } from '../helpers/world.js';

let { server, http, api, clock, acme } = {} as World;
beforeAll(async () => ({ server, http, api, clock, acme } = await startWorld()));
afterAll(() => server.close());

// The spec declares no OPTIONS operations (the CORS layer answers them), so preflights go through the untyped client.
describe('CORS for browser clients', () => {
  it('answers a preflight: any origin, the QuickBlox headers, the methods', async () => {
    const answer = await http.call('OPTIONS', '/users.json', {
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'qb-token, qb-sdk, content-type' },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
    expect(answer.headers.get('access-control-allow-headers')).toMatch(/QB-Token/);
    for (const header of ['QB-OS', 'QB-SDK', 'QB-Account-Key', 'Content-Type', 'Authorization']) {
      expect(answer.headers.get('access-control-allow-headers')).toContain(header);
    }
    expect(answer.headers.get('access-control-allow-methods')).toBe('GET, POST, PUT, DELETE, OPTIONS');
  });

  it('lets a page read answers and their QB-Token-ExpirationDate, errors included', async () => {
    const session = withSession(http, await openSession(http, acme, clock));
    const answers = [await session.GET('/session.json', { headers: { Origin: 'https://app.example' } }), await api().GET('/session.json')];
    for (const { response } of answers) {
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-expose-headers')).toContain('QB-Token-ExpirationDate');
    }
  });

  it('leaves the OAuth sign-in pages, which use a cookie, out', async () => {
    const answer = await http.call('OPTIONS', '/oauth/authorize', { headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});
