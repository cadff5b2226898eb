import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asForm, tessera } from '../helpers/api.js';
import { client, type Client } from '../helpers/http.js';
import { createOrganization, type OrganizationFixture } from '../helpers/fixtures.js';
import { createLogger, prettyDestination, redactText } from '../../src/logger.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

let server: TestServer;
/** Untyped, for what is not an API operation (`/healthz`) and for requests the spec does not allow. */
let http: Client;
let acme: OrganizationFixture;

beforeAll(async () => {
  server = await startTestServer();
  http = client(server.url);
  acme = await createOrganization(server.url, 'acme');
});
afterAll(() => server.close());

describe('structured logs', () => {
  it('write one line per request with a request id, status and time', async () => {
    const answer = await http.get('/healthz', { headers: { 'x-request-id': 'trace-me-123' } });
    expect(answer.headers.get('x-request-id')).toBe('trace-me-123');
    const line = server.logs.find((l) => l.requestId === 'trace-me-123');
    expect(line).toMatchObject({ msg: 'request', method: 'GET', url: '/healthz', status: 200 });
    expect(line?.ms).toEqual(expect.any(Number));
  });

  it('say why a request was refused, by the error code it was answered with', async () => {
    await http.get('/acme/sandbox/users?access_token=tsr_at_not-a-real-token', { headers: { 'x-request-id': 'refused-1' } });
    await http.get('/no-such-organization/no-app/users', { headers: { 'x-request-id': 'refused-2' } });
    expect(server.logs.find((l) => l.requestId === 'refused-1')).toMatchObject({ status: 401, error: 'invalid_token' });
    expect(server.logs.find((l) => l.requestId === 'refused-2')).toMatchObject({ status: 404 });
    expect(server.logs.find((l) => l.requestId === 'refused-2')?.error).toEqual(expect.any(String));
    expect(server.logs.find((l) => l.requestId === 'trace-me-123')?.error).toBeUndefined();
  });

  it('never contain a credential, wherever it was sent', async () => {
    const qbToken = 'a'.repeat(40);
    const api = tessera(server.url);
    const path = { org: 'acme', app: 'app' };
    await api.GET('/{org}/{app}/users', { params: { path, query: { access_token: acme.admin.token, limit: 1 } } });
    await api.GET('/{org}/{app}/users', { params: { path, query: { client_id: acme.app.clientId, client_secret: acme.app.clientSecret } } });
    // A token by two mechanisms at once is refused (400), and its log line must still hide both.
    await http.get('/acme/app/users', { token: acme.admin.token, headers: { 'qb-token': qbToken } });
    await api.POST('/management/token', { body: { grant_type: 'password', username: acme.admin.username, password: acme.admin.password }, ...asForm });
    // `password` is no parameter of listUsers: a secret where none is expected must not be logged either.
    await http.get(`/acme/app/users?password=${acme.admin.password}`);
    const text = server.logText();
    for (const secret of [acme.admin.token, acme.app.clientSecret, acme.admin.password, qbToken]) expect(text).not.toContain(secret);
    expect(text).toContain('access_token=[REDACTED]&limit=1');
    expect(text).toContain(`client_id=${acme.app.clientId}&client_secret=[REDACTED]`);
  });

  /** A spelling of `name` that the server reads as `name`: any letter in any case, any character percent-encoded in either hex case. */
  const spellingOf = (name: string) =>
    fc.tuple(...[...name].map((char) => fc.constantFrom(char, char.toUpperCase(), encodeChar(char), encodeChar(char).toLowerCase()))).map((chars) => chars.join(''));
  const encodeChar = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  /** Long enough that it cannot turn up in a log line by chance. */
  const secretValue = fc.stringMatching(/^[A-Za-z0-9]{24,40}$/);
  const routes = ['/healthz', '/acme/app/users', '/oauth/token', '/management/me', '/nowhere'];

  it('hide the value of any secret-ish parameter, however its name is spelled or encoded', async () => {
    const names = ['access_token', 'client_secret', 'password', 'refresh_token', 'code', 'code_verifier', 'auth_secret', 'signature', 'api_token', 'x-api-key', 'apiKey', 'user[password]', 'private_key', 'session_id', 'id_token', 'passwd', 'key'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names).chain(spellingOf), secretValue, fc.constantFrom(...routes), fc.boolean(), async (name, value, route, spaced) => {
        const written = spaced ? name.replace(/_/g, '+') : name; // `+` is a space in a query: `access+token` is no secret name, but must not matter
        await http.get(`${route}?limit=1&${written}=${value}`);
        expect(server.logText()).not.toContain(value);
      }),
      { numRuns: 60 },
    );
  });

  it('hide every value shaped like an issued credential, in the path, a query name or an innocent parameter, plain or encoded', async () => {
    const prefixes = ['tsr_at_', 'tsr_api_', 'tsr_cs_', 'tsr_ocs_', 'tsr_oat_', 'tsr_ort_', 'tsr_oac_', 'tsr_oai_'];
    const issued = fc.oneof(
      fc.tuple(fc.constantFrom(...prefixes), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)).map(([prefix, body]) => ({ value: prefix + body, body })),
      fc.stringMatching(/^[0-9a-f]{40}$/).map((hex) => ({ value: hex, body: hex })),
    );
    const placements = [(v: string) => `/acme/app/users/${v}`, (v: string) => `/nowhere/${v}/x`, (v: string) => `/healthz?q=${v}`, (v: string) => `/acme/app/users?${v}`, (v: string) => `/oauth/token?ql=select+*+where+x%3D'${v}'`];
    await fc.assert(
      fc.asyncProperty(issued, fc.constantFrom(...placements), fc.boolean(), async ({ value, body }, place, encoded) => {
        const written = encoded ? value.replace(/_/g, '%5F') : value;
        await http.get(place(written));
        const text = server.logText();
        for (let at = 0; at + 16 <= body.length; at += 8) expect(text).not.toContain(body.slice(at, at + 16));
      }),
      { numRuns: 60 },
    );
  });

  it('leave no credential shape in any line, in any case, however it is surrounded', () => {
    // As logger.ts's pattern; the line pass first scans for what may hold one, and must never miss one.
    const shape = /tsr_[a-z]{1,8}_[A-Za-z0-9_-]*|(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])/i;
    const anyCase = (text: string) => fc.tuple(...[...text].map((char) => fc.constantFrom(char.toLowerCase(), char.toUpperCase()))).map((chars) => chars.join(''));
    const piece = fc.oneof(
      fc.constantFrom('tsr_at_', 'tsr_api_', 'tsr_oat_x').chain(anyCase).chain((prefix) => fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/).map((rest) => prefix + rest)),
      fc.integer({ min: 38, max: 42 }).chain((length) => fc.stringMatching(new RegExp(`^[0-9a-fA-F]{${length}}$`))),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('"', ' ', '/', '=', '&', '?', '%', '\u00e9', '\u0130', '\u212a', '\u0010', '\u0019'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        expect(redactText(pieces.join(''))).not.toMatch(shape);
      }),
      { numRuns: 2000 },
    );
  });

  it('keep credentials out of an unexpected error, in its message or its stack', async () => {
    const token = `tsr_oat_${'Zq9'.repeat(14)}x`;
    const error = new Error(`could not use ${token} or ${encodeURIComponent(token).replace(/_/g, '%5F')} or ${'c0ffee'.repeat(6)}beef`);
    server.deps.logger.error({ err: error, requestId: 'err-1', password: 'hunter2-hunter2' }, 'unhandled error');
    const line = server.logText().split('\n').find((l) => l.includes('err-1'));
    expect(line).toBeDefined();
    expect(line).not.toContain('Zq9Zq9Zq9');
    expect(line).not.toContain('c0ffee'.repeat(6));
    expect(line).not.toContain('hunter2-hunter2');
  });

  it('keep every line a process logged when it ends without a flush, by process.exit or an uncaught error', async () => {
    // Lines wait in a batch before sonic-boom sees them (logger.ts `LineBatch`): 40 lines of ~150
    // characters, under the batch's 8 KiB, all wait there when the process ends at once. (Past
    // 8 KiB, sonic-boom's own write may still be under way as the process ends, and its final
    // flush can then put the later lines first.)
    const script = [
      `const { createLogger } = await import(${JSON.stringify(pathToFileURL(path.resolve('src/logger.ts')).href)});`,
      "const logger = createLogger('info');",
      "for (let i = 0; i < 40; i++) logger.info({ n: i, padding: 'x'.repeat(100) }, 'line');",
      "if (process.argv[1] === 'throw') throw new Error('ending badly');",
      'process.exit(0);',
    ].join('\n');
    for (const ending of ['exit', 'throw']) {
      const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
        execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ending], (error, stdout) =>
          // The uncaught error ends the process with 1, as it should; the lines are what is checked.
          error && ending === 'exit' ? reject(error) : resolve({ stdout }),
        ),
      );
      const numbers = stdout.split('\n').filter((line) => line.includes('"msg":"line"')).map((line) => (JSON.parse(line) as { n: number }).n);
      expect(numbers, ending).toEqual([...Array(40).keys()]);
    }
  });

  it('read as one plain line per entry with TESSERA_LOG_FORMAT=pretty, redacted as the JSON is', async () => {
    let text = '';
    const capture = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
    const logger = createLogger('info', prettyDestination(capture));
    logger.info({ status: 401, url: '/x?access_token=tsr_at_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, 'request');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    expect(text).toMatch(/INFO.*request/);
    expect(text).toContain('status: 401');
    expect(text).not.toContain('tsr_at_AAAA');
    expect(text.trim().startsWith('{')).toBe(false);
  });
});
