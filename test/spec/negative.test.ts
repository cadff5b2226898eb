import fc from 'fast-check';
import type { OpenAPIBackend, Operation } from 'openapi-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../src/http/api.js';
import { createHandlers } from '../../src/operations/index.js';
import { loadSpec } from '../../src/spec.js';
import { seedDemo } from '../../src/seed/demo.js';
import { superuserToken } from '../helpers/fixtures.js';
import { client, type Client } from '../helpers/http.js';
import { ManualClock, startTestServer, type TestServer } from '../helpers/server.js';
import { arbitraryOf, type Schema } from './schema-arbitrary.js';

/**
 * Spec-driven negative testing: for every operation, a request generated from its schemas (a body
 * valid against the request schema, path parameters from the spec's examples) is broken in one way (a required field missing, a wrong type, an oversized value, a value outside
 * an enum, an oversized array, an unknown field, malformed JSON, a wrong content type, JSON nested
 * 5,000 levels deep, a free-form value larger than an entity may be, a NUL or an unpaired surrogate
 * in the path, the query or the body, a bad or an expired credential) and sent to the
 * running server. Every answer must be a 4xx in the operation's error family, the server must
 * stay up, and nothing may be written. `NEGATIVE_RUNS` sets how many requests (CI: 300);
 * fast-check prints the seed of a failure, to replay with `NEGATIVE_SEED`.
 */

type Param = { in: string; name: string; example?: unknown; required?: boolean; schema?: Schema };
type Body = { content?: Record<string, { schema?: Schema; example?: unknown }> };

const runs = Number(process.env.NEGATIVE_RUNS ?? 300);
const seed = process.env.NEGATIVE_SEED === undefined ? undefined : Number(process.env.NEGATIVE_SEED);

let server: TestServer;
let http: Client;
let clock: ManualClock;
let api: OpenAPIBackend;
let operations: Operation[];
let goodToken: string;
let expiredToken: string;

/** A fingerprint of everything stored but the audit log (a refused attempt is legitimately recorded there). */
async function storedState(): Promise<string> {
  const db = server.deps.db;
  const tables = db.client.config.client === 'pg'
    ? ((await db.raw("select tablename as name from pg_tables where schemaname = 'public' and tablename not like 'knex%'")).rows as { name: string }[])
    : ((await db.raw("select name from sqlite_master where type = 'table' and name not like 'knex%' and name not like 'sqlite%'")) as { name: string }[]);
  const parts = await Promise.all(
    tables
      .map((t) => t.name)
      .filter((name) => name !== 'audit_events')
      .sort()
      .map(async (name) => `${name}:${JSON.stringify(await db(name).select().orderBy(1))}`),
  );
  return parts.join('\n');
}

beforeAll(async () => {
  clock = new ManualClock(Date.now());
  server = await startTestServer({ clock, config: { tokenWriteBehindMs: 3_600_000 } });
  http = client(server.url);
  await seedDemo(server.deps);
  ({ api } = await createApi(server.deps, loadSpec().document, createHandlers(server.deps)));
  operations = api.getOperations();
  const expiring = await http.post('/management/token', { json: { grant_type: 'password', username: 'demo-admin', password: 'demo-admin-password', ttl: 1000 } });
  expiredToken = expiring.body.access_token;
  clock.advance(2000);
  goodToken = await superuserToken(http);
});
afterAll(() => server.close());

function pathOf(operation: Operation, oversize?: string): string {
  const params = (operation.parameters ?? []) as Param[];
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    if (name === oversize) return 'x'.repeat(5000);
    return encodeURIComponent(String(params.find((p) => p.in === 'path' && p.name === name)?.example ?? 'sample'));
  });
}

function mediaOf(operation: Operation): { type: string; schema: Schema } | undefined {
  const content = (operation.requestBody as Body | undefined)?.content;
  const type = content && (content['application/json'] ? 'application/json' : Object.keys(content)[0]);
  if (!content || !type) return undefined;
  return { type, schema: content[type]!.schema ?? {} };
}

/** The request's body before it is broken: valid against the operation's schema, generated from it. */
type Valid = { type: string; example: Record<string, unknown>; schema: Schema } | undefined;

function validBodyOf(operation: Operation): fc.Arbitrary<Valid> {
  const media = mediaOf(operation);
  if (!media) return fc.constant(undefined);
  return arbitraryOf(media.schema).map((value) => ({ ...media, example: (value ?? {}) as Record<string, unknown> }));
}

/** Operations that store what a client sends as application data (entities, custom objects, users' properties). */
function storesFreeFormData(operation: Operation, schema: Schema): boolean {
  const access = (operation as Operation & { 'x-access'?: string })['x-access'];
  return schema.additionalProperties !== false && (access === 'application-data' || access === 'quickblox-own-object');
}

/** `{"a":{"a":…}}` as text, `levels` deep (JSON.stringify would itself recurse). */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

const family = (operation: Operation) => (operation as Operation & { 'x-error-family': string })['x-error-family'];

/** The ways a request for this operation can be made invalid. */
function breakages(operation: Operation): string[] {
  const body = mediaOf(operation);
  const ways: string[] = [];
  if (body) {
    const properties = Object.values(body.schema.properties ?? {});
    ways.push('malformed-json', 'wrong-content-type', 'oversized-body');
    if (body.schema.required?.length) ways.push('missing-required');
    if (properties.some((p) => p.type)) ways.push('wrong-type');
    if (properties.some((p) => p.enum)) ways.push('outside-enum');
    if (properties.some((p) => p.maxLength)) ways.push('oversized-string');
    if (properties.some((p) => p.type === 'array' && p.maxItems !== undefined)) ways.push('oversized-array');
    if (body.schema.additionalProperties === false) ways.push('unknown-field');
    if (body.type === 'application/json') ways.push('too-deep-body');
    if (storesFreeFormData(operation, body.schema)) ways.push('oversized-entity');
  }
  const params = (operation.parameters ?? []) as Param[];
  if (params.some((p) => p.in === 'path' && p.schema?.maxLength)) ways.push('oversized-path');
  if (params.some((p) => p.in === 'query' && p.schema?.type === 'integer')) ways.push('query-wrong-type');
  ways.push('unstorable-text');
  // A bad credential is refused even where anonymous access is allowed; operations without any scheme ignore it.
  if (operation.security?.some((requirement) => Object.keys(requirement).length > 0)) {
    ways.push('bad-credential', 'expired-credential');
  }
  return ways;
}

async function send(operation: Operation, way: string, body: Valid, pick: number): Promise<{ status: number; body: unknown; text: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${goodToken}` };
  let path = pathOf(operation);
  let payload: string | undefined = body && JSON.stringify(body.example);
  let type = body?.type;
  const properties = Object.entries(body?.schema.properties ?? {});
  const nth = <T>(list: T[]) => list[pick % list.length]!;
  switch (way) {
    case 'malformed-json':
      payload = '{"unterminated": ';
      type = 'application/json';
      break;
    case 'wrong-content-type':
      type = 'text/plain';
      break;
    case 'oversized-body':
      payload = JSON.stringify({ ...body!.example, padding: 'x'.repeat(2 * 1024 * 1024) });
      break;
    case 'missing-required': {
      const field = nth(body!.schema.required!);
      const example = { ...body!.example };
      delete example[field];
      payload = JSON.stringify(example);
      break;
    }
    case 'wrong-type': {
      const [field, schema] = nth(properties.filter(([, p]) => p.type));
      const wrong = schema.type === 'string' ? 12345 : schema.type === 'object' ? 'text' : schema.type === 'array' ? { not: 'an array' } : 'not-a-number';
      payload = JSON.stringify({ ...body!.example, [field]: wrong });
      break;
    }
    case 'outside-enum': {
      const [field] = nth(properties.filter(([, p]) => p.enum));
      payload = JSON.stringify({ ...body!.example, [field]: 'surely-not-allowed' });
      break;
    }
    case 'oversized-string': {
      const [field, schema] = nth(properties.filter(([, p]) => p.maxLength));
      payload = JSON.stringify({ ...body!.example, [field]: 'x'.repeat((schema.maxLength ?? 0) + 1) });
      break;
    }
    case 'oversized-array': {
      const [field, schema] = nth(properties.filter(([, p]) => p.type === 'array' && p.maxItems !== undefined));
      // One more than allowed, each item valid, so the size is all that is wrong.
      const [item] = fc.sample(arbitraryOf(schema.items ?? {}), { numRuns: 1, seed: pick });
      const items = Array.from({ length: schema.maxItems! + 1 }, () => item);
      payload = JSON.stringify({ ...body!.example, [field]: items });
      break;
    }
    case 'too-deep-body': {
      // Deep inside an otherwise valid body: the depth bound alone refuses it.
      const rest = JSON.stringify(body!.example).slice(1);
      payload = `{"deep":${nested(5000)}${rest === '}' ? '' : ','}${rest}`;
      break;
    }
    case 'oversized-entity':
      // Under the body limit, over what one entity (or a user's properties) may hold.
      payload = JSON.stringify({ ...body!.example, padding: 'x'.repeat(100 * 1024) });
      break;
    case 'unknown-field':
      payload = JSON.stringify({ ...body!.example, surely_not_a_field: true });
      break;
    case 'oversized-path': {
      const param = nth(((operation.parameters ?? []) as Param[]).filter((p) => p.in === 'path' && p.schema?.maxLength));
      path = pathOf(operation, param.name);
      break;
    }
    case 'query-wrong-type': {
      const param = nth(((operation.parameters ?? []) as Param[]).filter((p) => p.in === 'query' && p.schema?.type === 'integer'));
      path += `?${param.name}=not-a-number`;
      break;
    }
    case 'unstorable-text': {
      // Text no database column holds as sent, wherever this operation reads text: a path
      // parameter, a query parameter, a body's string or key (JSON may also carry a lone surrogate).
      const pathParams = ((operation.parameters ?? []) as Param[]).filter((p) => p.in === 'path');
      const places = [...pathParams.map((p) => `path:${p.name}`), 'query', ...(body ? ['body-value', 'body-key'] : [])];
      const place = nth(places);
      const bad = body?.type === 'application/json' && pick % 2 === 1 ? 'a\ud800' : 'a\u0000b';
      if (place.startsWith('path:')) path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => (`path:${name}` === place ? 'a%00b' : encodeURIComponent(String(pathParams.find((p) => p.name === name)?.example ?? 'sample'))));
      else if (place === 'query') path += `?${nth(((operation.parameters ?? []) as Param[]).filter((p) => p.in === 'query').map((p) => p.name).concat('q'))}=a%00b`;
      else if (place === 'body-value') {
        const texts = properties.filter(([, p]) => p.type === 'string').map(([name]) => name);
        payload = JSON.stringify({ ...body!.example, [texts.length ? nth(texts) : 'note']: bad });
      }
      else payload = JSON.stringify({ ...body!.example, [`note${bad}`]: 'x' });
      break;
    }
    case 'bad-credential':
      headers.authorization = 'Bearer tsr_at_forged-value-that-was-never-issued';
      break;
    case 'expired-credential':
      headers.authorization = `Bearer ${expiredToken}`;
      break;
  }
  if (type === 'application/x-www-form-urlencoded' && payload !== undefined) {
    // Form-only operations (the sign-in pages) get the same breakages as a form; a form has no
    // types, so a wrong type there arrives as text, which the schema then refuses or coerces.
    const fields = JSON.parse(payload) as Record<string, unknown>;
    payload = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString();
  }
  if (type) headers['content-type'] = type;
  return http.call(operation.method.toUpperCase(), path, { headers, ...(payload !== undefined && type && { raw: { body: payload, type } }) });
}

function expectFamilyShape(familyName: string, body: any): void {
  if (familyName === 'usergrid') expect(body).toEqual({ error: expect.any(String), error_description: expect.any(String), timestamp: expect.any(Number), duration: expect.any(Number) });
  else if (familyName === 'oauth') expect(body).toMatchObject({ error: expect.any(String) });
  else expect(body).toHaveProperty('errors');
}

describe('spec-driven negative testing', () => {
  it('starts from bodies the spec accepts, generated from each operation’s request schema', () => {
    const withBodies = operations.filter((operation) => mediaOf(operation));
    expect(withBodies.length).toBeGreaterThan(20);
    fc.assert(
      fc.property(fc.constantFrom(...withBodies).chain((operation) => fc.tuple(fc.constant(operation), validBodyOf(operation))), ([operation, body]) => {
        const request = { method: operation.method, path: pathOf(operation), headers: { 'content-type': 'application/json' }, body: body!.example };
        // Only the body is generated here; required query parameters come later, from the spec's examples.
        const bodyErrors = (api.validateRequest(request, operation).errors ?? []).filter((e) => !/^\/(query|path|headers)\b/.test(e.instancePath));
        expect(bodyErrors, `${operation.operationId} ${JSON.stringify(body!.example).slice(0, 300)}`).toEqual([]);
      }),
      { numRuns: runs, ...(seed !== undefined && { seed }) },
    );
  });

  it('answers every broken request with a 4xx in its family shape, stays up and writes nothing', async () => {
    const cases = operations.flatMap((operation) => breakages(operation).map((way) => ({ operation, way })));
    expect(cases.length).toBeGreaterThan(operations.length);
    const requests = fc.constantFrom(...cases).chain((c) => fc.record({ operation: fc.constant(c.operation), way: fc.constant(c.way), body: validBodyOf(c.operation) }));
    const before = await storedState();
    await fc.assert(
      fc.asyncProperty(requests, fc.nat(1000), async ({ operation, way, body }, pick) => {
        const answer = await send(operation, way, body, pick);
        const label = `${operation.operationId} ${way}: ${answer.status} ${answer.text.slice(0, 200)}`;
        expect(answer.status, label).toBeGreaterThanOrEqual(400);
        expect(answer.status, label).toBeLessThan(500);
        expectFamilyShape(family(operation), answer.body);
      }),
      { numRuns: runs, ...(seed !== undefined && { seed }) },
    );
    expect((await http.get('/healthz')).status).toBe(200);
    expect(await storedState()).toBe(before);
  }, 120_000);

  it('refuses, on every operation, a body nested too deep, a free-form value too large to store and text no database holds: 4xx in its family shape, nothing written', async () => {
    const bounded = ['too-deep-body', 'oversized-entity', 'unstorable-text'];
    // Text no database holds is sent four times to each operation, each time in another place (`send` picks by index).
    const cases = operations.flatMap((operation) =>
      breakages(operation).filter((way) => bounded.includes(way)).flatMap((way) => Array.from({ length: way === 'unstorable-text' ? 4 : 1 }, () => ({ operation, way }))),
    );
    expect(cases.filter((c) => c.way === 'oversized-entity').length).toBeGreaterThanOrEqual(4);
    const before = await storedState();
    for (const [i, { operation, way }] of cases.entries()) {
      const [body] = fc.sample(validBodyOf(operation), { numRuns: 1, seed: i });
      const answer = await send(operation, way, body, i);
      const label = `${operation.operationId} ${way}: ${answer.status} ${answer.text.slice(0, 200)}`;
      expect(answer.status, label).toBeGreaterThanOrEqual(400);
      expect(answer.status, label).toBeLessThan(500);
      expectFamilyShape(family(operation), answer.body);
    }
    expect((await http.get('/healthz')).status).toBe(200);
    expect(await storedState()).toBe(before);
  }, 120_000);
});
