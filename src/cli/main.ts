import { parseArgs } from 'node:util';
import { exitCodes, NotSignedInError, UsageError, type Command } from './command.js';
import { createApiTokenCommand, listApiTokensCommand, revokeApiTokenCommand } from './api-tokens.js';
import { createApplicationCommand, listApplicationsCommand, rotateApplicationCredentialsCommand } from './applications.js';
import { listAuditEventsCommand } from './audit-events.js';
import { login, logout } from './login.js';
import { migrateStatus, migrateUp } from './migrate.js';
import { deleteOAuthClientCommand, listOAuthClientsCommand, registerOAuthClientCommand } from './oauth-clients.js';
import { createOrganizationCommand, listOrganizationsCommand } from './organizations.js';
import { rotateKey } from './rotate-key.js';
import { serve } from './serve.js';
import { createUserCommand, deactivateUserCommand, listUsersCommand, setUserPasswordCommand } from './users.js';

/** Every command of `tessera`, in the order `--help` lists them: the server's own, then those that talk to one. */
const commands: readonly Command[] = [
  serve,
  migrateStatus,
  migrateUp,
  rotateKey,
  login,
  logout,
  listOrganizationsCommand,
  createOrganizationCommand,
  listApplicationsCommand,
  createApplicationCommand,
  rotateApplicationCredentialsCommand,
  listUsersCommand,
  createUserCommand,
  deactivateUserCommand,
  setUserPasswordCommand,
  listApiTokensCommand,
  createApiTokenCommand,
  revokeApiTokenCommand,
  listOAuthClientsCommand,
  registerOAuthClientCommand,
  deleteOAuthClientCommand,
  listAuditEventsCommand,
];

const helpOption = { type: 'boolean', short: 'h' } as const;

function usageLine(command: Command): string {
  const options = Object.entries(command.options ?? {}).map(([name, spec]) => ` [--${name}${spec.value ? ` ${spec.value}` : ''}]`);
  return `Usage: tessera ${command.name.join(' ')}${options.join('')}`;
}

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.join(' ').length)) + 2;
  return [
    'Usage: tessera <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.join(' ').padEnd(width)}${c.summary}`),
    '',
    'Options:',
    `  ${'-h, --help'.padEnd(width)}Show this help; tessera <command> --help shows a command's`,
    '',
    'Settings come from the environment (README, "Configuration").',
    'The commands after rotate-key talk to a running server: tessera login first, or set TESSERA_URL and TESSERA_TOKEN.',
    `Exit codes: ${exitCodes.ok} done, ${exitCodes.failed} failed (an API error, an unreachable server), ${exitCodes.usage} wrong usage,`,
    `  ${exitCodes.pending} migrations pending (migrate status), ${exitCodes.notSignedIn} not signed in or the token was refused (tessera login).`,
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const named: [string, string][] = Object.entries(command.options ?? {}).map(([name, spec]) => [`--${name}${spec.value ? ` ${spec.value}` : ''}`, spec.description]);
  named.push(['-h, --help', 'Show this help']);
  const width = Math.max(...named.map(([name]) => name.length)) + 2;
  return [usageLine(command), '', command.summary + '.', '', command.details, '', 'Options:', ...named.map(([name, description]) => `  ${name.padEnd(width)}${description}`), ''].join('\n');
}

/** The commands whose names start with `words` (`['migrate']`: both migrate commands). */
const startingWith = (words: string[]) => commands.filter((c) => words.every((word, i) => c.name[i] === word));

/** parseArgs' messages are paragraphs; one line naming the argument is what a terminal needs. */
function oneLine(error: unknown, command: Command): string {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  const named = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${named ?? ''} for tessera ${command.name.join(' ')} (see --help)`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument ${named ?? ''} for tessera ${command.name.join(' ')} (see --help)`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `${message.split('\n')[0]} (see tessera ${command.name.join(' ')} --help)`;
  return message.split('\n')[0]!;
}

/** Runs the command `argv` names; resolves with the exit code. Nothing starts before the command line is understood. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  // The longest command named by the leading words.
  let command: Command | undefined;
  for (let n = words.length; n > 0 && !command; n--) command = commands.find((c) => c.name.length === n && c.name.every((word, i) => word === words[i]));
  if (!command) {
    const rest = argv.slice(words.length);
    if (words.length === 0 && (rest.includes('--help') || rest.includes('-h') || rest.length === 0)) {
      process.stdout.write(topHelp());
      return rest.length === 0 ? exitCodes.usage : exitCodes.ok;
    }
    if (words.length === 0) throw new UsageError(`unknown option ${rest[0]} (see tessera --help)`);
    const group = startingWith(words);
    if (group.length) {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(`Commands:\n${group.map((c) => `  tessera ${c.name.join(' ')}  ${c.summary}`).join('\n')}\n`);
        return exitCodes.ok;
      }
      throw new UsageError(`tessera ${words.join(' ')} needs one of: ${group.map((c) => c.name.slice(words.length).join(' ')).join(', ')} (see tessera --help)`);
    }
    throw new UsageError(`unknown command ${JSON.stringify(words.join(' '))} (see tessera --help)`);
  }
  const options = Object.fromEntries(
    Object.entries(command.options ?? {}).map(([name, spec]) => [name, { type: spec.type, ...(spec.short && { short: spec.short }), ...(spec.multiple && { multiple: true }) }]),
  );
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({ args: argv.slice(command.name.length), options: { ...options, help: helpOption }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(oneLine(error, command));
  }
  if (values.help) {
    process.stdout.write(commandHelp(command));
    return exitCodes.ok;
  }
  return command.run(values, env);
}

/** The `tessera` command (bin/tessera.mjs): errors in one line, never a stack trace. */
export async function main(argv = process.argv.slice(2), env = process.env): Promise<void> {
  try {
    const code = await runCli(argv, env);
    process.exitCode = code;
  } catch (error) {
    process.stderr.write(`tessera: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? exitCodes.usage : error instanceof NotSignedInError ? exitCodes.notSignedIn : exitCodes.failed;
  }
}
