import { UsageError } from '../command.js';

/** `--json`, which every command that talks to a server has. */
export const jsonOption = { json: { type: 'boolean', description: "Print the API's JSON answer instead of a table (for scripts)" } } as const;

/**
 * What a server sent, made safe for a terminal: a name holding escape sequences could otherwise
 * rewrite the screen (hide a line, fake a prompt). Control characters become `?`.
 */
export const terminalSafe = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '?');

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  return terminalSafe(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
}

/** A timestamp (ms since the epoch) as UTC to the second; null stays `-`. */
export const time = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined);

/** Columns aligned with two spaces, a header in capitals; `(none)` for an empty list. */
export function printTable(headers: string[], rows: unknown[][]): void {
  const cells = rows.map((row) => row.map(cell));
  const widths = headers.map((header, i) => Math.max(header.length, ...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((text, i) => (i === row.length - 1 ? text : text.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${[line(headers.map((h) => h.toUpperCase())), ...cells.map(line)].join('\n')}\n`);
  if (!rows.length) process.stdout.write('(none)\n');
}

/** Fields of one thing, one per line (`name: value`), for what a create answers. */
export function printFields(fields: [string, unknown][]): void {
  const width = Math.max(...fields.map(([name]) => name.length)) + 1;
  process.stdout.write(fields.map(([name, value]) => `${`${name}:`.padEnd(width)} ${cell(value)}`).join('\n') + '\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value ?? null, null, 2)}\n`);
}

/** A secret the server shows once: said so, on stderr, so `--json` and a pipe of stdout stay clean. */
export function warnShownOnce(what: string): void {
  process.stderr.write(`Shown only now, never again: the ${what}. Store it safely.\n`);
}

type Options = Record<string, string | boolean | string[] | undefined>;

/**
 * A string option the command needs. Every one names something in a URL path (an organization, an
 * application, a user, a client), where `.` and `..` would name another endpoint: refused.
 */
export function required(options: Options, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required (see --help)`);
  if (value === '.' || value === '..') throw new UsageError(`--${name} ${value} names no ${name}`);
  return value;
}

export function optional(options: Options, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' ? value : undefined;
}

/** A positive integer option, within the bounds the spec allows. */
export function integer(options: Options, name: string, minimum: number, maximum: number): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || number < minimum || number > maximum) throw new UsageError(`--${name} must be an integer from ${minimum} to ${maximum}`);
  return number;
}
