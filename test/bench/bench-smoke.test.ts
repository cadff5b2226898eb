import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

/**
 * `npm run bench` works end to end: one short round of two workloads (a cached-token read, with the
 * reference server beside it, and an authenticated application read), on the database the tests
 * use. Nothing about speed is asserted.
 */
describe('npm run bench --smoke', () => {
  let child: ChildProcess | undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-smoke-'));

  afterEach(() => {
    // run.ts ends its servers itself on SIGTERM.
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts Tessera and the floor, measures both, exits 0 and writes the raw figures', async () => {
    const out = path.join(dir, 'bench.json');
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const env = { ...inherited, ...(process.env.TEST_DATABASE_URL && { DATABASE_URL: process.env.TEST_DATABASE_URL }) };
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/run.ts', '--smoke', '--only', '^(w0-qb-session|w1-bearer)$', '--json', out], {
      cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child!.once('exit', (c) => resolve(c)));

    expect(code, output).toBe(0);
    const results = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      workloads: {
        id: string; tessera: { runs: { reqPerSec: number; non2xx: number }[] }; floor: { runs: { reqPerSec: number }[] }; ratio: number;
        reference?: { runs: { reqPerSec: number; non2xx: number }[]; ratio: number };
      }[];
    };
    expect(results.workloads.map((w) => w.id)).toEqual(['w0-qb-session', 'w1-bearer']);
    for (const workload of results.workloads) {
      expect(workload.tessera.runs).toHaveLength(1);
      expect(workload.tessera.runs[0]!.reqPerSec).toBeGreaterThan(0);
      expect(workload.tessera.runs[0]!.non2xx).toBe(0);
      expect(workload.floor.runs[0]!.reqPerSec).toBeGreaterThan(0);
      expect(workload.ratio).toBeGreaterThan(0);
    }
    // The reference server ran beside the cached-token read (and only there), answering 2xx to every request.
    const [session, bearer] = results.workloads;
    expect(session!.reference?.runs).toHaveLength(1);
    expect(session!.reference!.runs[0]!.reqPerSec).toBeGreaterThan(0);
    expect(session!.reference!.runs[0]!.non2xx).toBe(0);
    expect(session!.reference!.ratio).toBeGreaterThan(0);
    expect(bearer!.reference).toBeUndefined();
    expect(output).toMatch(/\| W1 `w1-bearer` \|/);
    expect(output).toMatch(/\| ↳ reference \(`reference\.mjs`\) \|/);
  }, 90_000);
});
