import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { accessRules } from '../../src/auth/authorize.js';
import { actionOf } from '../../src/http/steps/authorize-operation.js';
import { loadSpec, specPath } from '../../src/spec.js';

/**
 * What `npm run lint:spec` promises, proven to bite: each of Tessera's own lint rules fails a copy
 * of the spec broken in its way. And the one promise a linter cannot check: the `oauth2` scopes an
 * operation declares are the ones the server enforces.
 */

type Operation = { operationId: string; security?: Record<string, string[]>[]; 'x-access'?: string; 'x-action'?: 'read' | 'write'; summary?: string; parameters?: unknown[] };
const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;

function operations(document: { paths: Record<string, Record<string, unknown>> }) {
  return Object.entries(document.paths).flatMap(([route, item]) =>
    methods.filter((method) => item[method]).map((method) => ({ route, method, operation: item[method] as Operation })),
  );
}

describe('oauth2 scopes in the spec', () => {
  const { document } = loadSpec();
  const all = operations(document as never);

  it('are the action the server enforces, on every operation that declares them', () => {
    const declared = all.flatMap(({ method, operation }) => {
      const oauth2 = operation.security?.find((requirement) => 'oauth2' in requirement)?.oauth2;
      return oauth2 ? [{ operationId: operation.operationId, scopes: oauth2, action: actionOf({ method, ...operation }) }] : [];
    });
    expect(declared.length).toBeGreaterThan(20);
    for (const { operationId, scopes, action } of declared) expect({ operationId, scopes }).toEqual({ operationId, scopes: [action] });
  });

  it('are declared by every operation on an application’s data that takes bearer tokens', () => {
    const missing = all
      .filter(({ route, operation }) =>
        route.startsWith('/{org}/{app}/') && ['application-data', 'application-user-self-or-admin', 'application-user-account'].includes(operation['x-access'] ?? ''),
      )
      .filter(({ operation }) => operation.security?.some((r) => 'bearerAuth' in r) && !operation.security.some((r) => 'oauth2' in r))
      .map(({ operation }) => operation.operationId);
    expect(missing).toEqual([]);
  });
});

describe('integer inputs in the spec', () => {
  const { document } = loadSpec() as unknown as { document: Record<string, any> };
  /** A `$ref` within the spec, followed to what it names. */
  const resolved = (node: any): any => {
    let target = node;
    for (let hops = 0; target?.$ref && hops < 16; hops++) {
      target = (target.$ref as string).slice(2).split('/').reduce((at: any, key) => at?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], document);
    }
    return target;
  };
  /** Where, under `schema`, an integer has no maximum within 2^53 - 1. */
  function unbounded(schema: unknown, at: string, seen = new Set<unknown>()): string[] {
    const s = resolved(schema);
    if (!s || typeof s !== 'object' || seen.has(s)) return [];
    seen.add(s);
    const here = s.type === 'integer' && !(typeof s.maximum === 'number' && s.maximum <= Number.MAX_SAFE_INTEGER) ? [at] : [];
    return [
      ...here,
      ...Object.entries(s.properties ?? {}).flatMap(([name, property]) => unbounded(property, `${at}.${name}`, seen)),
      ...(s.items ? unbounded(s.items, `${at}[]`, seen) : []),
      ...['allOf', 'oneOf', 'anyOf'].flatMap((key) => ((s[key] ?? []) as unknown[]).flatMap((part, i) => unbounded(part, `${at}/${key}/${i}`, seen))),
      ...(s.additionalProperties && typeof s.additionalProperties === 'object' ? unbounded(s.additionalProperties, `${at}.*`, seen) : []),
    ];
  }

  it('each declare a maximum no larger than 2^53 - 1, so both engines store and compare the value the client sent', () => {
    // Past it, a JSON number is no longer the integer written: SQLite kept 1e20 as a float (200),
    // PostgreSQL refused to store it (400). Parameters and request bodies, every operation.
    const found = Object.values(document.paths as Record<string, Record<string, any>>).flatMap((item) =>
      methods.filter((method) => item[method]).flatMap((method) => {
        const operation = item[method];
        const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map(resolved);
        const bodies = Object.entries<any>(resolved(operation.requestBody)?.content ?? {});
        return [
          ...parameters.flatMap((p) => unbounded(p.schema, `${operation.operationId} ${p.in} ${p.name}`)),
          ...bodies.flatMap(([type, media]) => unbounded(media.schema, `${operation.operationId} ${type} body`)),
        ];
      }),
    );
    // `ttl` is the exception: Usergrid answers any number over the longest lifetime, Long.MAX_VALUE
    // included, with its own `illegal_argument` (reference §3); it is compared, never stored.
    expect([...new Set(found)].filter((at) => !/ ttl$|\.ttl$/.test(at))).toEqual([]);
  });
});

describe('the spec linter (redocly.yaml)', () => {
  const run = promisify(execFile);
  const redocly = path.resolve('node_modules/.bin/redocly');

  /** Lints a copy of the spec with the project's config; returns each problem as `ruleId at pointer`. */
  async function problemsOf(breakIt: (document: Record<string, any>) => void): Promise<string[]> {
    const document = YAML.parse(fs.readFileSync(specPath, 'utf8'));
    breakIt(document);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-lint-'));
    const file = path.join(dir, 'openapi.yaml');
    fs.writeFileSync(file, YAML.stringify(document));
    try {
      const result = await run(redocly, ['lint', file, '--config', path.resolve('redocly.yaml'), '--format', 'json'], { maxBuffer: 16 * 1024 * 1024 }).catch(
        (failed: { stdout: string }) => failed,
      );
      const report = JSON.parse(result.stdout) as { problems: { ruleId: string; location: { pointer: string }[] }[] };
      return report.problems.map((p) => `${p.ruleId} at ${decodeURIComponent(p.location[0]!.pointer).replaceAll('~1', '/')}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('passes the spec as it is', async () => {
    expect(await problemsOf(() => {})).toEqual([]);
  });

  it('refuses a working credential in an example (by name or by shape), a missing example, an incomplete operation, an inline error response', async () => {
    const problems = await problemsOf((d) => {
      const createUser = d.paths['/{org}/{app}/users'].post;
      createUser.requestBody.content['application/json'].example.password = 'hunter2-hunter2';
      createUser.requestBody.content['application/json'].example.name = 'tsr_at_Zm9vYmFyYmF6cXV4';
      delete createUser.requestBody.content['application/x-www-form-urlencoded'].example;
      delete d.components.parameters.OrgPath.example;
      createUser.requestBody.content['application/json'].example.clientSecret = 'hunter3-hunter3';
      createUser.requestBody.content['application/json'].example.tokens = ['hunter4-hunter4'];
      d.components.parameters.PasswordQuery.schema.example = 'hunter5-hunter5';
      d.components.parameters.ClientSecretQuery.examples = { one: { value: 'hunter6-hunter6' } };
      delete d.components.parameters.ClientSecretQuery.example;
      const getUser = d.paths['/{org}/{app}/users/{user}'].get;
      delete getUser.summary;
      delete getUser.security;
      getUser.responses['404'] = { description: 'Not here', content: { 'application/json': { schema: { type: 'object' } } } };
    });
    const createUser = '#/paths//{org}/{app}/users/post';
    const getUser = '#/paths//{org}/{app}/users/{user}/get';
    expect(problems).toEqual(
      expect.arrayContaining([
        `tessera/no-credential-in-example at ${createUser}/requestBody/content/application/json/example/password`,
        `tessera/no-credential-in-example at ${createUser}/requestBody/content/application/json/example/name`,
        `tessera/no-credential-in-example at ${createUser}/requestBody/content/application/json/example/clientSecret`,
        `tessera/no-credential-in-example at ${createUser}/requestBody/content/application/json/example/tokens/0`,
        'tessera/no-credential-in-example at #/components/parameters/PasswordQuery/schema/example',
        'tessera/no-credential-in-example at #/components/parameters/ClientSecretQuery/examples/one/value',
        `rule/request-body-has-example at ${createUser}/requestBody/content/application/x-www-form-urlencoded`,
        'rule/parameter-has-example at #/components/parameters/OrgPath',
        `rule/operation-is-complete at ${getUser}`,
        `rule/error-responses-from-components at ${getUser}/responses/404`,
      ]),
    );
  });

  it('refuses an x-access or x-action the server does not know, and knows the same rules as the server', async () => {
    const problems = await problemsOf((d) => {
      d.paths['/{org}/{app}/users/{user}'].get['x-access'] = 'application-dta';
      delete d.paths['/{org}/{app}/users'].post['x-access'];
      d.paths['/{org}/{app}/users'].get['x-action'] = 'reed';
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'rule/operation-access-is-known at #/paths//{org}/{app}/users/{user}/get/x-access',
        'rule/operation-access-is-known at #/paths//{org}/{app}/users/post/x-access',
        'rule/operation-action-is-known at #/paths//{org}/{app}/users/get/x-action',
      ]),
    );
    const config = YAML.parse(fs.readFileSync('redocly.yaml', 'utf8')) as { rules: Record<string, { assertions: { enum: string[] } }> };
    expect(new Set(config.rules['rule/operation-access-is-known']!.assertions.enum)).toEqual(accessRules);
  });
});
