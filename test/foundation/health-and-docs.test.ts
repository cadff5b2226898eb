import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import YAML from 'yaml';
import { client, type Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let http: Client;

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
});
afterAll(() => server.close());

describe('what is not an API operation', () => {
  it('points from its address to the reference page: a browser is sent there, a client told where things are', async () => {
    const browser = await fetch(`${server.url}/`, { headers: { accept: 'text/html,application/xhtml+xml' }, redirect: 'manual' });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe('/docs');
    const json = await http.get('/');
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ console: '/console/', docs: '/docs', openapi: ['/openapi.yaml', '/openapi.json'], health: '/healthz' });
  });

  it('serves the spec as YAML and as JSON, the same document', async () => {
    const yaml = await http.get('/openapi.yaml');
    expect(yaml.headers.get('content-type')).toContain('yaml');
    const json = await http.get('/openapi.json');
    expect(json.body).toEqual(YAML.parse(yaml.text));
    expect(json.body.openapi).toBe('3.0.3');
  });

  it('serves the reference page and its assets itself, loading nothing from other hosts', async () => {
    const page = await http.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(2);
    for (const source of sources) {
      expect(source.startsWith('/'), source).toBe(true);
      expect((await http.get(source)).status, source).toBe(200);
    }
  });

  it('answers /healthz after checking the database', async () => {
    expect((await http.get('/healthz')).body).toEqual({ status: 'ok' });
    // As the router matches its paths: in any case, with a trailing slash (only requests whose
    // first segment one of these routes starts with reach the router, static-routes.ts).
    expect((await http.get('/HealthZ/')).body).toEqual({ status: 'ok' });
  });

  it('answers a request for `*` (a load balancer\'s `OPTIONS *`) with a 404, not an error', async () => {
    const url = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => socket.end('OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 404 Not Found');
  });
});
