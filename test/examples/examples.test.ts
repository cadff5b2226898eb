import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSummary } from '../../src/seed/demo.js';
import { launchChromium } from '../helpers/browser.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The programs in `examples/` run as a user would run them (`tsx`, in a process of their own)
 * against a real server seeded with the demo data; for the authorization-code flow this test plays
 * the person at the browser. Port 8765 is the demo OAuth client's registered loopback redirect URI.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
let server: TestServer;
let seed: DemoSummary;
/** Programs still running: a failed test must not leave one holding port 8765. */
const running = new Set<ChildProcess>();

interface Run {
  output(): string;
  /** Resolves with the first match of `pattern` in the program's standard output. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function run(example: string, env: Record<string, string> = {}): Run {
  // Only what the test chooses: a developer's own QB_*/OAUTH_*/TESSERA_* settings must not leak in.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(QB_|OAUTH_|TESSERA_)/.test(name)));
  const child = spawn(process.execPath, ['--import', 'tsx', `examples/${example}.ts`], {
    cwd: root,
    env: { ...inherited, TESSERA_URL: server.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const watchers: (() => void)[] = [];
  child.stdout.on('data', (chunk) => {
    stdout += String(chunk);
    watchers.forEach((check) => check());
  });
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      running.delete(child);
      resolve({ code, stdout, stderr });
    }),
  );
  return {
    output: () => stdout + stderr,
    exited,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stdout);
          if (match) resolve(match);
        };
        watchers.push(check);
        check();
        void exited.then(({ code }) => reject(new Error(`exited (${code}) before printing ${pattern}:\n${stdout}${stderr}`)));
      }),
  };
}

/** Nothing secret is ever printed: no demo secret, no whole token. */
function expectNoSecrets(output: string): void {
  for (const secret of [seed.user.password, seed.admin.password, seed.application.authSecret, seed.application.clientSecret, seed.organization.clientSecret, seed.oauthClient.clientSecret]) {
    expect(output).not.toContain(secret);
  }
  expect(output).not.toMatch(/[0-9a-f]{40}/);
  expect(output).not.toMatch(/tsr_[a-z]+_[A-Za-z0-9_-]{4,}/);
}

beforeAll(async () => {
  server = await startTestServer({ config: { logLevel: 'warn' } });
  seed = await seedDemo(server.deps);
});
afterEach(() => {
  for (const child of running) child.kill();
});
afterAll(async () => {
  await server?.close();
});

describe('examples/quickblox-session.ts', () => {
  it('signs a session (keys looked up by the demo admin), logs alice in, reads as her, logs out, and sees the destroyed token refused', async () => {
    const { code, stdout, stderr } = await run('quickblox-session').exited;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`QuickBlox keys read from the management API: application_id ${seed.application.applicationId}`);
    expect(stdout).toMatch(/^1\. Application session \d+ opened \(user_id 0, token [0-9a-f]{6}…\); QB-Token-ExpirationDate: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m);
    expect(stdout).toMatch(/^2\. Logged in as alice \(id \d+\), same token; QB-Token-ExpirationDate: .+ UTC$/m);
    expect(stdout).toContain('3. The user session reads 1 user(s): alice');
    expect(stdout).toMatch(/^4\. Created Movie [0-9a-f-]{36} \(user_id \d+\); read back: "Heat"$/m);
    expect(stdout).toContain('8. The destroyed token is refused: 401 {"errors":{"base":["Required session does not exist"]}}');
    expect(stdout).toMatch(/Done\.\n$/);
    expectNoSecrets(stdout + stderr);
  });

  it('with the keys from the environment and a wrong auth secret, stops at the session with a clear message', async () => {
    const env = { QB_APPLICATION_ID: String(seed.application.applicationId), QB_AUTH_KEY: seed.application.authKey, QB_AUTH_SECRET: 'not-the-auth-secret' };
    const { code, stdout, stderr } = await run('quickblox-session', env).exited;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('quickblox-session failed: create session: unexpected HTTP 422 {"errors":{"base":["Unexpected signature"]}}\n');
  });
});

describe('examples/client-credentials.ts', () => {
  it('gets a read-only client token with HTTP Basic, lists the users and is refused a write', async () => {
    const { code, stdout, stderr } = await run('client-credentials').exited;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('1. Got a bearer token (tsr_oat_…), scope "read", expires in 7200 s, no refresh token');
    expect(stdout).toContain('2. demo/storefront has 1 user(s): alice');
    expect(stdout).toMatch(/^3\. A write with the read-only token is refused: 403 \{"error":"insufficient_scope"/m);
    expectNoSecrets(stdout + stderr);
  });

  it('with a wrong client secret, stops at the token request with the invalid_client answer', async () => {
    const { code, stderr } = await run('client-credentials', { OAUTH_CLIENT_SECRET: 'tsr_ocs_wrong' }).exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^client-credentials failed: token request: unexpected HTTP 401 \{"error":"invalid_client"/);
  });
});

describe('examples/authorization-code.ts', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Starts the example, and as the person opens the URL it prints, signs in as alice and answers the consent page. */
  async function authorize(decision: 'approve' | 'deny') {
    const example = run('authorization-code');
    const [, url] = await example.waitFor(/^Open this URL in a browser: (\S+)$/m);
    expect(new URL(url!).origin + new URL(url!).pathname).toBe(`${server.url}/oauth/authorize`);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url!);
    await page.fill('#username', seed.user.username);
    await page.fill('#password', seed.user.password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(await page.textContent('main')).toContain('Signed in as alice');
    await Promise.all([page.waitForURL((landed) => landed.href.startsWith(seed.oauthClient.redirectUri)), page.click(`button[value=${decision}]`)]);
    expect(await page.textContent('body')).toContain('You can close this window');
    await context.close();
    return example.exited;
  }

  it('is approved in the browser, then redeems the code, calls the API, refreshes and revokes', async () => {
    const { code, stdout, stderr } = await authorize('approve');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('1. The browser came back with a code; state and iss match');
    expect(stdout).toContain('2. Tokens: scope "read write", access token expires in 7200 s, with refresh token');
    expect(stdout).toContain('3. The access token speaks for alice');
    expect(stdout).toContain('4. Refreshed once: a new access token that works, and a new refresh token');
    expect(stdout).toMatch(/^5\. Revoked the refresh token; its grant's access token is now refused: 401 /m);
    expectNoSecrets(stdout + stderr);
  }, 60_000);

  it('exits non-zero with the error when the person denies', async () => {
    const { code, stderr } = await authorize('deny');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^authorization-code failed: callback: authorization refused: access_denied/);
  }, 60_000);
});
