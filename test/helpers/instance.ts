import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** One real Tessera process (`src/main.ts`), as an operator runs it. */
export interface Instance {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the URL once the process logged that it listens; rejects if it exits first. */
  ready: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Every process a test file started and has not seen exit. A test that timed out while waiting for
 * one never reaches its own `finally`; the processes then outlived the test run, serving on. They
 * go, with their process groups, when the test file's process exits.
 */
const started = new Set<ChildProcessWithoutNullStreams>();
process.once('exit', () => {
  for (const child of started) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** Starts `src/main.ts` with `env` over a scrubbed environment (the test run's DATABASE_URL is not inherited). */
export function startInstance(env: Record<string, string>, args: string[] = []): Instance {
  return startCommand([process.execPath, '--import', 'tsx', 'src/main.ts', ...args], env);
}

/**
 * Starts `command` (an executable and its arguments, run from the project's folder, as the README
 * says to run it: `./bin/tessera.mjs serve`, `npm start`) the way `startInstance` does.
 */
export function startCommand([file, ...args]: string[], env: Record<string, string>): Instance {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(file!, args, {
    cwd: root,
    env: { ...inherited, PORT: '0', LOG_LEVEL: 'info', TESSERA_SCRYPT_COST: '1024', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    // A process group of its own, so that what it started (npm's script) goes with it at the end.
    detached: true,
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  let output = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const ready = new Promise<string>((resolve, reject) => {
    const look = () => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output) ?? /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      look();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`exited ${code} before listening: ${output}`)));
  });
  ready.catch(() => {});
  return {
    child,
    ready,
    exited,
    output: () => output,
    async stop(graceMs = 5000) {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `check` every `everyMs` until it returns a value other than `undefined`, or fails after `withinMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, withinMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + withinMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
