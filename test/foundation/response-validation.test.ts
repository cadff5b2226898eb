import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tessera } from '../helpers/api.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createApi } from '../../src/http/api.js';
import { createHandlers } from '../../src/operations/index.js';
import { loadSpec } from '../../src/spec.js';
import type { OperationHandlers } from '../../src/operations/types.js';
import Koa from 'koa';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openapiMiddleware } from '../../src/http/adapter.js';
import { errorRenderer } from '../../src/http/error-renderer.js';
import { bodyParser } from '@koa/bodyparser';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('response validation', () => {
  it('turns a response that breaks the spec into a 502, so a test against it fails', async () => {
    const handlers = createHandlers(server.deps);
    // A handler that forgets a required field of its declared body.
    const broken = { ...handlers, createManagementToken: () => ({ status: 200, body: { access_token: 'x' } }) } as unknown as OperationHandlers;
    const { dispatch } = await createApi(server.deps, loadSpec().document, broken);
    const app = new Koa();
    app.use(async (ctx, next) => {
      ctx.state.startedAt = Date.now();
      await next();
    });
    app.use(errorRenderer({ logger: server.deps.logger, clock: server.deps.clock, bodyLimit: 1024 }));
    app.use(bodyParser());
    app.use(openapiMiddleware(dispatch));
    const listener = http.createServer(app.callback()).listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
      // A request the spec allows: only the answer breaks it.
      const answer = await tessera(url).POST('/management/token', { body: { grant_type: 'password', username: 'u', password: 'p' } });
      expect(answer.response.status).toBe(502);
      expect(answer.error?.error).toBe('response_breaks_spec');
    } finally {
      listener.close();
    }
  });
});
