import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noStoreAnswers } from '../../src/http/no-store.js';
import { loadSpec } from '../../src/spec.js';
import { ok } from '../helpers/api.js';
import { acmeApp, superuserToken } from '../helpers/fixtures.js';
import { PageSession, redirectUri, token } from '../helpers/oauth.js';
import { openSession, postSession, qb, sessionRequest, withSession } from '../helpers/quickblox.js';
import { ManualClock } from '../helpers/server.js';
import { startWorld, type OAuthWorld } from '../helpers/world.js';

/**
 * Every answer that carries a credential value (a token, a secret) says `Cache-Control: no-store`
 * and `Pragma: no-cache`, so no browser or proxy keeps it. Which answers carry one is read from
 * the spec (a string property named like a credential, as redocly/tessera.js names them), not
 * from a hand list, so an operation added later is caught here.
 */
const credentialName = /(^|_)(pass(word|wd)?|secrets?|tokens?|api_?key|code|code_verifier|signature)$/i;
const isCredentialName = (name: string) => credentialName.test(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));

type Node = Record<string, unknown> & { $ref?: string };
const { document } = loadSpec();
const resolve = (node: unknown): Node => {
  let current = node as Node;
  while (current?.$ref) current = current.$ref.slice(2).split('/').reduce<any>((at, key) => at[key], document) as Node;
  return current;
};

/** The paths of the credential values a schema can hold (`.session.token`), through refs, compositions, arrays and maps. */
function credentialsIn(schema: unknown, path = '', seen = new Set<Node>()): string[] {
  const node = resolve(schema);
  if (!node || typeof node !== 'object' || seen.has(node)) return [];
  seen.add(node);
  const found: string[] = [];
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) for (const part of (node[key] as unknown[]) ?? []) found.push(...credentialsIn(part, path, seen));
  if (node.items) found.push(...credentialsIn(node.items, `${path}[]`, seen));
  if (node.additionalProperties && typeof node.additionalProperties === 'object') found.push(...credentialsIn(node.additionalProperties, `${path}.*`, seen));
  for (const [name, property] of Object.entries((node.properties as Record<string, unknown>) ?? {})) {
    const resolved = resolve(property);
    const types = [resolved.type, ...((resolved.oneOf ?? resolved.anyOf ?? []) as unknown[]).map((part) => resolve(part).type)];
    if (isCredentialName(name) && types.includes('string')) found.push(`${path}.${name}`);
    found.push(...credentialsIn(property, `${path}.${name}`, seen));
  }
  seen.delete(node);
  return found;
}

interface CarryingAnswer {
  operationId: string;
  status: string;
  carries: string[];
  headers: Record<string, Node>;
}

/** Every success answer of the spec that can carry a credential value. */
const carrying: CarryingAnswer[] = Object.values(document.paths ?? {}).flatMap((pathItem) =>
  Object.values(pathItem ?? {}).flatMap((operation) => {
    const { operationId, responses } = (operation ?? {}) as { operationId?: string; responses?: Record<string, unknown> };
    if (!operationId) return [];
    return Object.entries(responses ?? {}).flatMap(([status, response]) => {
      const resolved = resolve(response);
      const carries = Object.values((resolved.content as Record<string, { schema?: unknown }>) ?? {}).flatMap((media) => credentialsIn(media.schema));
      return status.startsWith('2') && carries.length ? [{ operationId, status, carries, headers: (resolved.headers as Record<string, Node>) ?? {} }] : [];
    });
  }),
);

let world: OAuthWorld;
const clock = new ManualClock();
beforeAll(async () => {
  world = await startWorld({ clock, oauth: true });
});
afterAll(() => world.server.close());

const admin = () => world.api(world.acme.admin.token);
const adminLogin = () => ({ grant_type: 'password' as const, username: world.acme.admin.username, password: world.acme.admin.password });
const aliceLogin = { grant_type: 'password' as const, username: 'alice', password: 'alice-password-1' };
const appPath = { params: { path: acmeApp } };

/** How to get each carrying answer from the live server: its success, whose headers are checked. */
const call: Record<string, () => Promise<{ response: Response }>> = {
  getManagementToken: () => world.api().GET('/management/token', { params: { query: adminLogin() } }),
  createManagementToken: () => world.api().POST('/management/token', { body: adminLogin() }),
  getManagementMe: () => admin().GET('/management/me'),
  createManagementMe: () => admin().POST('/management/me', { body: {} }),
  createOrganization: async () =>
    world.api(await superuserToken(world.server.url)).POST('/management/orgs', {
      body: { organization: 'initech', username: 'initech-admin', email: 'admin@initech.example', password: 'initech-password' },
    }),
  rotateOrganizationCredentials: () => admin().POST('/management/orgs/{org}/credentials', { params: { path: { org: 'acme' } } }),
  createApplication: () => admin().POST('/management/orgs/{org}/apps', { params: { path: { org: 'acme' } }, body: { name: 'nostore' } }),
  rotateApplicationCredentials: async () => {
    const answer = await admin().POST('/management/orgs/{org}/apps/{app}/credentials', appPath);
    world.acme.app.authSecret = ok(answer).credentials.auth_secret;
    return answer;
  },
  createApiToken: () => admin().POST('/management/orgs/{org}/apps/{app}/api-tokens', { ...appPath, body: { name: 'ci', access: 'read' } }),
  getApplicationToken: () => world.api().GET('/{org}/{app}/token', { params: { path: acmeApp, query: aliceLogin } }),
  createApplicationToken: () => world.api().POST('/{org}/{app}/token', { ...appPath, body: aliceLogin }),
  getUserToken: () => admin().GET('/{org}/{app}/users/{user}/token', { params: { path: { ...acmeApp, user: 'alice' } } }),
  oauthToken: () => token(world, { grant_type: 'client_credentials' }),
  createOAuthClient: () => admin().POST('/management/orgs/{org}/apps/{app}/clients', { ...appPath, body: { name: 'Kiosk', redirect_uris: ['https://kiosk.example/cb'] } }),
  createSession: () => postSession(qb(world.server.url), sessionRequest(world.acme, clock)),
  getSession: async () => withSession(world.server.url, await openSession(world.server.url, world.acme, clock)).GET('/session.json'),
};

describe('answers that carry a credential', () => {
  it('are found in the spec: the token answers, the secrets shown once, QuickBlox sessions', () => {
    const ids = carrying.map((answer) => answer.operationId);
    expect(ids).toEqual(expect.arrayContaining(['createSession', 'getSession', 'oauthToken', 'createApplication', 'createOrganization', 'getUserToken']));
    // A list never shows a secret: only the answer that registers a client does.
    expect(ids).not.toContain('listOAuthClients');
  });

  it('declare Cache-Control: no-store and Pragma: no-cache in the spec', () => {
    for (const { operationId, status, headers } of carrying) {
      expect(headers['Cache-Control']?.$ref, `${operationId} ${status}`).toBe('#/components/headers/NoStore');
      expect(headers.Pragma?.$ref, `${operationId} ${status}`).toBe('#/components/headers/NoCache');
    }
  });

  it('each have a live call in this test', () => {
    expect(Object.keys(call).sort()).toEqual([...new Set(carrying.map((answer) => answer.operationId))].sort());
  });

  it('say Cache-Control: no-store and Pragma: no-cache on the wire', async () => {
    for (const { operationId, status } of carrying) {
      const { response } = await call[operationId]!();
      expect(String(response.status), operationId).toBe(status);
      expect(response.headers.get('cache-control'), operationId).toBe('no-store');
      expect(response.headers.get('pragma'), operationId).toBe('no-cache');
    }
  });
});

describe('Cache-Control: no-store', () => {
  const declared = noStoreAnswers(document);
  const authorizeQuery = () => ({ response_type: 'code' as const, client_id: world.confidential.client_id, redirect_uri: redirectUri, scope: 'read' });

  it('is declared in the spec on every page of a sign-in under way, and on its redirects', () => {
    for (const answer of ['oauthAuthorize 200', 'oauthAuthorize 302', 'oauthLogin 200', 'oauthLogin 303', 'oauthLogin 429', 'oauthConsent 200', 'oauthConsent 303']) {
      expect(declared.has(answer), answer).toBe(true);
    }
  });

  it('is on the wire for the pages the spec declares it on: the login page, the login page again, the consent page', async () => {
    const session = new PageSession(world);
    const login = await session.get(authorizeQuery());
    const interaction = PageSession.interactionOf(login);
    const again = await session.signIn(interaction, { username: 'alice', password: 'not-her-password' });
    const signedIn = await session.signIn(interaction);
    const consent = await session.follow(signedIn.headers.get('location'));
    for (const [what, page] of Object.entries({ login, again, consent })) {
      expect(page.status, what).toBe(200);
      expect(page.headers.get('cache-control'), what).toBe('no-store');
      expect(page.headers.get('pragma'), what).toBe('no-cache');
    }
  });

  it('is on an error page too, which shares its answer with the JSON error', async () => {
    const page = await new PageSession(world).get({ ...authorizeQuery(), client_id: 'no-such-client' });
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('pragma')).toBe('no-cache');
  });

  it('is written by no source outside src/http/: the response step sets it from the spec', () => {
    const root = join(import.meta.dirname, '../../src');
    const sources = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).map((file) => join(root, file));
    const handWritten = sources.filter((file) => !relative(root, file).startsWith('http/') && /['"`]no-store['"`]/.test(readFileSync(file, 'utf8')));
    expect(handWritten.map((file) => relative(root, file))).toEqual([]);
  });
});
