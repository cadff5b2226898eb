/**
 * One command of `tessera`: the words that name it, its options (node:util parseArgs), and what it
 * does. Commands are listed in one table (cli/main.ts); a new one (the provisioning commands that
 * talk to a remote server) is a new entry.
 */
export interface Command {
  /** The words that name it, e.g. `['migrate', 'status']`. */
  name: readonly string[];
  /** One line for `tessera --help`. */
  summary: string;
  /** More for `tessera <command> --help`: what it does, what it reads, its exit codes. */
  details: string;
  options?: Record<string, OptionSpec>;
  /** Resolves with the process's exit code; a thrown error is reported in one line, exit 1. */
  run(options: Record<string, string | boolean | string[] | undefined>, env: NodeJS.ProcessEnv): Promise<number>;
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** For the help: `--batch-size <n>`. */
  value?: string;
  /** Repeatable (`--kind a --kind b`): its value is then a list. */
  multiple?: boolean;
  description: string;
}

/** What the exit codes mean, for every command. */
export const exitCodes = {
  ok: 0,
  /** The command ran and failed (a bad setting, an unreachable database, a refused key). */
  failed: 1,
  /** The command line is wrong: unknown command or option, a missing or extra argument. */
  usage: 2,
  /** `migrate status`: some migrations are pending. */
  pending: 3,
  /** A command that talks to a server: not signed in (no credentials), or the server refused the token (401). */
  notSignedIn: 4,
} as const;

/** Refused before it runs: wrong usage, reported in one line with exit 2. */
export class UsageError extends Error {}

/** No credentials to send, or the server answered 401 to them: reported in one line with exit 4. */
export class NotSignedInError extends Error {}
