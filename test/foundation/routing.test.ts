import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import { createApi } from '../../src/http/api.js';
import { createHandlers } from '../../src/operations/index.js';
import { loadSpec } from '../../src/spec.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let api: OpenAPIBackend;

beforeAll(async () => {
  server = await startTestServer();
  ({ api } = await createApi(server.deps, loadSpec().document, createHandlers(server.deps)));
});
afterAll(() => server.close());

/** A concrete path for an operation, from its parameters' examples (or a plain word). */
function samplePath(operation: Operation): string {
  const parameters = (operation.parameters ?? []) as { in: string; name: string; example?: unknown }[];
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => String(parameters.find((p) => p.in === 'path' && p.name === name)?.example ?? 'sample'));
}

/** The operation a request routes to. */
const match = (method: string, path: string) => api.router.matchOperation({ method, path, headers: {} }, true).operationId;

describe('routing tables', () => {
  it('route every operation of the spec to itself', () => {
    const operations = api.getOperations();
    expect(operations.length).toBeGreaterThan(10);
    for (const operation of operations) {
      const matched = api.router.matchOperation({ method: operation.method, path: samplePath(operation), headers: {} }, true);
      expect(matched.operationId, `${operation.method} ${samplePath(operation)}`).toBe(operation.operationId);
    }
  });

  it('prefer literal segments over parameters, whatever the order of the spec', () => {
    expect(match('get', '/management/orgs/acme')).toBe('getOrganization');
    expect(match('get', '/acme/app/users')).toBe('listUsers');
    expect(match('get', '/acme/app/cats')).toBe('listEntities');
    expect(match('get', '/acme/app/users/bob')).toBe('getUser');
  });

  it('still reach the templated paths when a request starts with a segment the literal paths use', () => {
    // The table is indexed by first segment (router-tables.ts): `management`, `oauth` and `users.json`
    // start literal paths, and an organization may be named so all the same.
    expect(match('get', '/management/app/cats')).toBe('listEntities');
    expect(match('get', '/oauth/app/users/bob')).toBe('getUser');
    expect(match('get', '/users.json/app/cats/tom')).toBe('getEntity');
    expect(match('get', '/Management/orgs/acme')).toBe('listEntities');
  });

  it('build the operation list once, not per request', () => {
    expect(api.router.getOperations()).toBe(api.router.getOperations());
  });
});
