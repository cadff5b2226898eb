import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera } from '../helpers/api.js';
import { startTestServer, superuser, type TestServer } from '../helpers/server.js';

/**
 * Behind a load balancer (TESSERA_TRUSTED_PROXIES) the brute-force counters key on the client the
 * balancer names in X-Forwarded-For, and only a trusted peer's header counts. Here 127.0.0.1 plays
 * the balancer; 127.0.0.2 is a client that reaches Tessera directly.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ config: { trustedProxies: ['127.0.0.1'] } });
});
afterAll(() => server.close());

const through = (from: string, forwardedFor: string, password: string) =>
  tessera(server.url, { from }).POST('/management/token', {
    body: { grant_type: 'password', username: superuser.username, password },
    headers: { 'x-forwarded-for': forwardedFor },
  });

/** Wrong guesses from one place until refused; how many were checked. */
async function guessUntilRefused(from: string, forwardedFor: (n: number) => string): Promise<number> {
  for (let checked = 0; checked < 20; checked++) {
    if ((await through(from, forwardedFor(checked), `wrong-${checked}`)).response.status === 429) return checked;
  }
  throw new Error('20 wrong guesses and still no 429');
}

describe('the client address behind a trusted proxy', () => {
  it('counts guesses per client the proxy names, so one client refused leaves another let in', async () => {
    expect(await guessUntilRefused('127.0.0.1', () => '203.0.113.5')).toBe(5);
    expect((await through('127.0.0.1', '203.0.113.5', superuser.password)).response.status).toBe(429);
    expect((await through('127.0.0.1', '203.0.113.6', superuser.password)).response.status).toBe(200);
    expect(server.logText()).toContain('"ip":"203.0.113.5"');
  });

  it('takes the address the proxy appended, not one the client wrote before it', async () => {
    // The client sends "203.0.113.5" itself (refused above); the proxy appends where it really came from.
    expect((await through('127.0.0.1', '203.0.113.5, 198.51.100.7', superuser.password)).response.status).toBe(200);
  });

  it('ignores the header from a peer that is not a trusted proxy: a new made-up address per guess gains nothing', async () => {
    expect(await guessUntilRefused('127.0.0.2', (n) => `192.0.2.${n + 1}`)).toBe(5);
    expect((await through('127.0.0.2', '192.0.2.200', superuser.password)).response.status).toBe(429);
  });
});
