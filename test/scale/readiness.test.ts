import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('the readiness check (GET /readyz), for load balancers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 200 once started, with the database answering and every migration run', async () => {
    const answer = await fetch(`${server.url}/readyz`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(await answer.json()).toEqual({ status: 'ready' });
  });

  it('answers 503 with Retry-After while a migration this code has is not in the database, and 200 again once it is', async () => {
    const { db } = server.deps;
    const [latest] = (await db('knex_migrations').orderBy('name', 'desc').limit(1)) as Record<string, unknown>[];
    await db('knex_migrations').where('name', latest!.name as string).delete();
    try {
      const answer = await fetch(`${server.url}/readyz`);
      expect(answer.status).toBe(503);
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await answer.json()).toEqual({ status: 'not ready', reason: `migrations not run: ${String(latest!.name)}` });
      // Liveness is another question: the process answers.
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await db('knex_migrations').insert(latest);
    }
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
