import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInstance, type Instance } from '../helpers/instance.js';

/**
 * The README's shell snippets, run as a reader runs them: every ```sh block in order, in one bash
 * (so a variable one block sets is there for the next, as in one terminal), against a fresh demo
 * server started as the quick start starts it (`src/main.ts --demo`, its own port and data folder).
 * BASE comes from the environment: the snippets say `BASE=${BASE:-http://127.0.0.1:8080}`.
 *
 * A block fenced ```sh no-run is not run (each says why in the README: it installs, starts a
 * server, needs production secrets, or runs for minutes).
 *
 * Failures: bash runs with `set -euo pipefail`, so an unset variable, a failing command or a
 * failing stage of a pipe stops the run. The README's curl lines show answers (no `-f`: a reader
 * wants to see an error's body), so the runner defines `curl` as a bash function that calls the real
 * curl with `-D` (the headers to a file; the reader's own `-o`/`-w` stay as written), prints what
 * curl printed, and fails when the answer's status is 400 or more, unless the command's trailing
 * comment begins with the status the README says it gets (`… # 403`, `… # 401: guests may only sign
 * up`): then it fails unless the status is exactly that one. Ids and tokens are read from answers
 * with `jq -r`, which prints `null` for a path the answer lacks and succeeds; the runner's `jq`
 * fails then instead, so a capture that reads the wrong field stops the run where it happened
 * rather than sending `null` on.
 */

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

interface Snippet {
  /** 1-based line of the README where the snippet's first line is. */
  line: number;
  run: boolean;
  lines: string[];
}

function snippetsOf(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const fence = /^```sh(?:\s+(.*))?$/.exec(lines[index]!);
    if (!fence) continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    snippets.push({ line: start + 1, run: !/\bno-run\b/.test(fence[1] ?? ''), lines: lines.slice(start, end) });
    index = end;
  }
  return snippets;
}

/** A trailing comment that begins with a status (`# 403`, `# 401: …`) is the status the command must get. */
const expectedStatus = /\s#\s+([1-5]\d\d)(?=$|[\s:,;.])/;

/** The script: the runner's prelude, then each snippet's lines; README_LINE names the README line of the command that runs. */
function scriptOf(snippets: Snippet[]): string {
  const prelude = [
    'set -euo pipefail',
    'trap \'echo "readme-runner: stopped at README.md line ${README_LINE:-?}" >&2\' ERR',
    'curl() {',
    '  local headers status code=0',
    '  headers=$(mktemp)',
    '  command curl -D "$headers" "$@" || code=$?',
    '  status=$(sed -n "s/^HTTP\\/[0-9.]* \\([0-9][0-9][0-9]\\).*/\\1/p" "$headers" | tail -n 1)',
    '  rm -f "$headers"',
    '  echo >&2',
    '  if [ "$code" != 0 ]; then echo "readme-runner: curl exited $code: curl $*" >&2; return "$code"; fi',
    '  if [ -n "${EXPECT_STATUS:-}" ]; then',
    '    if [ "$status" != "$EXPECT_STATUS" ]; then echo "readme-runner: HTTP $status, the README says $EXPECT_STATUS: curl $*" >&2; return 1; fi',
    '  elif [ -z "$status" ] || [ "$status" -ge 400 ]; then echo "readme-runner: HTTP ${status:-(none)}: curl $*" >&2; return 1; fi',
    '}',
    'jq() {',
    '  local answer',
    '  answer=$(command jq "$@")',
    '  if [ "$answer" = null ]; then echo "readme-runner: jq $* answered null" >&2; return 1; fi',
    '  printf "%s\\n" "$answer"',
    '}',
  ];
  const out = [...prelude];
  for (const snippet of snippets.filter((s) => s.run)) {
    out.push(`# README.md line ${snippet.line}`);
    let continued = false;
    let commandStart = -1;
    snippet.lines.forEach((text, offset) => {
      const line = snippet.line + offset;
      if (!continued) {
        // README_LINE tells the ERR trap where the reader would be; set only between commands.
        if (/^\S/.test(text) && !text.startsWith('#')) out.push(`README_LINE=${line}`);
        commandStart = out.length;
      }
      out.push(text);
      continued = text.endsWith('\\');
      const status = expectedStatus.exec(text);
      if (!continued && status) {
        const first = out[commandStart]!;
        if (!/^curl\s/.test(first)) throw new Error(`README.md line ${line}: an expected status on a line that is no curl command`);
        out[commandStart] = `EXPECT_STATUS=${status[1]} ${first}`;
      }
    });
  }
  out.push('echo "readme-runner: done" >&2');
  return out.join('\n') + '\n';
}

describe('snippetsOf', () => {
  it('finds every sh block, and which are not to run', () => {
    const found = snippetsOf('a\n```sh\necho 1\n```\n```sh no-run\nnpm ci\n```\n```nginx\nx\n```\n');
    expect(found).toEqual([
      { line: 3, run: true, lines: ['echo 1'] },
      { line: 6, run: false, lines: ['npm ci'] },
    ]);
  });
});

// The quick start's server is the SQLite default whatever the test database is: the PostgreSQL pass
// (`npm run test:db`) would run the very same thing again.
describe.skipIf(process.env.TEST_DATABASE_URL !== undefined)('README.md', () => {
  let instance: Instance;
  let base: string;
  let dataDir: string;

  beforeAll(async () => {
    expect(spawnSync('sh', ['-c', 'command -v jq']).status, 'the snippets need jq (.ci/run installs it)').toBe(0);
    dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-readme-'));
    instance = startInstance({ TESSERA_DATA_DIR: dataDir, DATABASE_URL: `sqlite:${path.join(dataDir, 'tessera.sqlite')}`, LOG_LEVEL: 'warn' }, ['--demo']);
    base = await instance.ready;
  }, 60_000);
  afterAll(async () => {
    await instance?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every shell snippet in order against a fresh demo server', async () => {
    const snippets = snippetsOf(readme);
    expect(snippets.filter((s) => s.run).length).toBeGreaterThanOrEqual(8);
    // BASE must come from the runner: a snippet that fixes it would call whatever listens on 8080.
    const runLines = snippets.filter((s) => s.run).flatMap((s) => s.lines);
    expect(runLines.filter((line) => /^BASE=/.test(line))).toEqual(runLines.filter((line) => line.startsWith('BASE=${BASE:-http://127.0.0.1:8080}')));
    expect(runLines.filter((line) => line.includes(':8080') && !line.startsWith('BASE=${BASE:-'))).toEqual([]);
    const text = scriptOf(snippets);
    const workdir = mkdtempSync(path.join(tmpdir(), 'tessera-readme-run-'));
    try {
      const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
        // A reader's terminal, plus BASE and the data folder the quick start names; mktemp files land in workdir, removed after.
        const { DATABASE_URL: _ignored, ...inherited } = process.env;
        const child = spawn('bash', ['-c', text], { cwd: workdir, env: { ...inherited, BASE: base, TESSERA_DATA_DIR: dataDir, TMPDIR: workdir }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (chunk) => (output += String(chunk)));
        child.stderr.on('data', (chunk) => (output += String(chunk)));
        child.on('close', (code) => resolve({ code, output }));
      });
      // README_TRANSCRIPT=<file> keeps the whole run (script and output) for reading.
      if (process.env.README_TRANSCRIPT) writeFileSync(process.env.README_TRANSCRIPT, `${text}\n=====\n${result.output}`);
      expect(result.output.slice(-4000), 'the end of the run').toContain('readme-runner: done');
      expect(result.code).toBe(0);
    } finally {
      rmSync(workdir, { recursive: true, force: true });
    }
  }, 120_000);
});
