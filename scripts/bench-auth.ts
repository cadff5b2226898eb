/**
 * How fast is authenticating a request? Starts Tessera on a temporary SQLite database with the
 * demo data and drives one authenticated read per credential kind with a fixed number of
 * concurrent clients, printing requests per second and latency percentiles.
 *
 *   npx tsx scripts/bench-auth.ts [seconds per case, default 5] [concurrency, default 32]
 *
 * Speed is measured here, never asserted in tests. Compare runs on the same machine only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/seed/demo.js';
import { startServer } from '../src/server.js';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 32);

async function measure(name: string, url: string, headers: Record<string, string> = {}): Promise<void> {
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        if (response.status !== 200) failures++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(2);
  console.log(
    `${name.padEnd(28)} ${(latencies.length / seconds).toFixed(0).padStart(7)} req/s   p50 ${at(0.5)} ms   p99 ${at(0.99)} ms   non-200: ${failures}`,
  );
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'));
const config = loadConfig({}, {
  port: 0, dataDir: dir, databaseUrl: `sqlite:${path.join(dir, 'bench.sqlite')}`, secretKey: randomBytes(32).toString('hex'),
  superuserPassword: 'bench-superuser', logLevel: 'silent', scryptCost: 1024,
});
const server = await startServer(config);
try {
  const demo = await seedDemo(server.deps);
  const login = await fetch(`${server.url}/management/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'password', username: demo.admin.username, password: demo.admin.password }),
  });
  const { access_token: token } = (await login.json()) as { access_token: string };
  const user = `${server.url}/demo/storefront/users/alice`;
  console.log(`${seconds} s per case, ${concurrency} concurrent clients, SQLite`);
  await measure('no credential (/healthz)', `${server.url}/healthz`);
  await measure('Authorization: Bearer', user, { authorization: `Bearer ${token}` });
  await measure('?access_token=', `${user}?access_token=${token}`);
  await measure('?client_id&client_secret', `${user}?client_id=${demo.application.clientId}&client_secret=${demo.application.clientSecret}`);
} finally {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
