import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, type AccessRule, type AuthorizationFacts } from '../../src/auth/authorize.js';
import type { Principal } from '../../src/auth/principal.js';
import { createApi } from '../../src/http/api.js';
import { createHandlers } from '../../src/operations/index.js';
import { loadSpec } from '../../src/spec.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * What the spec decides is read once at boot and checked there: a typo in `x-access` or
 * `x-action`, or an operation without a handler, stops the server instead of opening (or
 * breaking) an operation at the first request.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

type Spec = { paths: Record<string, Record<string, Record<string, unknown>>> };
const specWith = (change: (document: Spec) => void) => {
  const document = structuredClone(loadSpec().document) as unknown as Spec;
  change(document);
  return document as never;
};

describe('booting the API', () => {
  it('boots with the spec as it is', async () => {
    await expect(createApi(server.deps, loadSpec().document, createHandlers(server.deps))).resolves.toBeDefined();
  });

  it('refuses an unknown or missing x-access', async () => {
    const typo = specWith((d) => (d.paths['/{org}/{app}/users/{user}']!.get!['x-access'] = 'application-dta'));
    await expect(createApi(server.deps, typo, createHandlers(server.deps))).rejects.toThrow(/getUser must declare x-access/);
    const missing = specWith((d) => delete d.paths['/{org}/{app}/users']!.post!['x-access']);
    await expect(createApi(server.deps, missing, createHandlers(server.deps))).rejects.toThrow(/createUser must declare x-access/);
    const inherited = specWith((d) => (d.paths['/{org}/{app}/users']!.post!['x-access'] = 'constructor'));
    await expect(createApi(server.deps, inherited, createHandlers(server.deps))).rejects.toThrow(/createUser must declare x-access/);
  });

  it('refuses an x-action that is neither read nor write', async () => {
    const typo = specWith((d) => (d.paths['/{org}/{app}/users']!.get!['x-action'] = 'reed'));
    await expect(createApi(server.deps, typo, createHandlers(server.deps))).rejects.toThrow(/listUsers declares x-action "reed"/);
  });

  it('refuses an operation without a handler', async () => {
    const { getUser: _removed, ...handlers } = createHandlers(server.deps);
    await expect(createApi(server.deps, loadSpec().document, handlers as never)).rejects.toThrow(/no handler for the operation\(s\) getUser/);
  });
});

describe('the authorization decision', () => {
  const facts = {} as AuthorizationFacts;
  const superuser: Principal = { kind: 'superuser', ceiling: 'write', credential: { scheme: 'bearerAuth' } };

  it('denies every principal, the superuser included, a rule it does not know', async () => {
    await expect(authorize(superuser, { rule: 'no-such-rule' as AccessRule, action: 'read' }, facts)).rejects.toMatchObject({ status: 403 });
  });
});
