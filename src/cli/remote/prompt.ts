import { UsageError } from '../command.js';

/**
 * Reads a line from the terminal without echoing it (a password). Only from a terminal: a script
 * sets the environment variable the caller names instead, so a pipe never waits on a prompt.
 */
export function promptHidden(question: string, variable: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) return Promise.reject(new UsageError(`no terminal to ask for the password: set ${variable}`));
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let answer = '';
    const finish = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') return finish();
        // Ctrl-C and Ctrl-D: raw mode turns them into characters, so they are handled here.
        if (character === '\u0003' || character === '\u0004') return finish(new UsageError('cancelled'));
        if (character === '\u007f' || character === '\b') answer = answer.slice(0, -1);
        else answer += character;
      }
    };
    input.on('data', onData);
  });
}

/** The value of `variable` when set (scripts), else asked for on the terminal without echo. */
export async function secretInput(env: NodeJS.ProcessEnv, variable: string, question: string): Promise<string> {
  const value = env[variable] ?? (await promptHidden(question, variable));
  if (!value) throw new UsageError(`an empty password (${variable})`);
  return value;
}
