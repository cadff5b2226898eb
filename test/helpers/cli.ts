import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** The `tessera` command of this checkout, run from its folder as the README says. */
export const tesseraBin = path.join(root, 'bin', 'tessera.mjs');

/** How a command ended (`null`: killed by a signal, e.g. its time was up) and what it printed. */
export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * How many commands run at once. Each is a Node process whose start takes a core for half a
 * second; more at once than the machine has cores only slows each one down (a test awaiting several
 * in a row then nears its timeout), one more than cores covers the time each waits on a server.
 */
const atOnce = os.availableParallelism() + 1;
let running = 0;
const queued: (() => void)[] = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running < atOnce) running++;
  else await new Promise<void>((resolve) => queued.push(resolve));
  try {
    return await work();
  } finally {
    // The slot passes to the next command in line, or is freed.
    const next = queued.shift();
    if (next) next();
    else running--;
  }
}

/**
 * Runs `tessera <args>` as a child process with exactly `env`, asynchronously: a server under test in
 * this very process must go on answering while the command waits, and commands awaited together run
 * side by side.
 */
export function runTessera(args: string[], env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return inTurn(async () => {
    try {
      const { stdout, stderr } = await run(tesseraBin, args, { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
      return { status: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: unknown; signal?: unknown; stdout?: string; stderr?: string };
      if (typeof failed.code !== 'number' && !failed.signal) throw error;
      return { status: typeof failed.code === 'number' ? failed.code : null, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  });
}
