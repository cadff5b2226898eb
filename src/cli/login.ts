import { exitCodes, NotSignedInError, UsageError, type Command } from './command.js';
import { ServerRefusal, apiClient, isLoopback, serverUrl, signedIn, succeeded } from './remote/client.js';
import { terminalSafe } from './remote/output.js';
import { credentialsFile, deleteCredentials, foreignCredentialsFolder, readCredentials, saveCredentials } from './remote/credentials.js';
import { optional, required } from './remote/output.js';
import { secretInput } from './remote/prompt.js';

export const login: Command = {
  name: ['login'],
  summary: 'Sign in to a server as an admin user; the other commands use the token',
  details: `Gets an admin access token (POST /management/token, grant_type=password) and stores it with the
server's URL in $TESSERA_CONFIG_DIR/credentials.json (default ~/.config/tessera), a file only you may
read (0600), in a folder that must be yours. The token is sent to that server only. The password is asked for without echo, or read
from TESSERA_PASSWORD (scripts); the username from --username, TESSERA_USERNAME or a prompt.
Instead of signing in, a script may set TESSERA_URL and TESSERA_TOKEN (an admin or API token).
Exit codes: 0 signed in, 1 failed (server unreachable), 2 wrong usage, 4 the server refused the password.`,
  options: {
    url: { type: 'string', value: '<url>', description: 'The server, e.g. https://auth.example.com (default TESSERA_URL)' },
    username: { type: 'string', value: '<username>', description: 'An admin user or the superuser (default TESSERA_USERNAME, else asked)' },
  },
  async run(options, env) {
    const url = serverUrl(optional(options, 'url') ?? env.TESSERA_URL ?? required(options, 'url'), '--url');
    // Before the password is asked for and sent: a token issued, then not stored, would go on working.
    const foreignFolder = foreignCredentialsFolder(env);
    if (foreignFolder) throw new Error(foreignFolder);
    if (!isLoopback(url)) process.stderr.write(`warning: ${url} is plain http: the password and the token cross the network unencrypted\n`);
    const username = optional(options, 'username') ?? env.TESSERA_USERNAME ?? (await promptUsername());
    const password = await secretInput(env, 'TESSERA_PASSWORD', `Password for ${username} at ${url}: `);
    const issued = await succeeded(apiClient(url).POST('/management/token', { body: { grant_type: 'password', username, password } }), url).catch((error: unknown) => {
      // A wrong username or password is a refused sign-in (exit 4), as a refused token is.
      throw error instanceof ServerRefusal && error.code === 'invalid_grant' ? new NotSignedInError(error.message) : error;
    });
    // The password grant answers a ManagementTokenResponse; the oneOf's other member is a client's token.
    if (!('user' in issued)) throw new Error(`${url} did not answer an admin token`);
    const expiresAt = Date.now() + issued.expires_in * 1000;
    // Checked before it is stored: a file the next command cannot read would hold a token that
    // `logout` could never revoke. A server that answers this is not a Tessera server.
    if (!wellFormed(issued.access_token) || !wellFormed(issued.user.username) || !Number.isSafeInteger(issued.expires_in) || issued.expires_in <= 0 || !Number.isFinite(new Date(expiresAt).valueOf())) {
      throw new Error(`${url} answered a token that is not well formed (its value, user name or lifetime)`);
    }
    const file = saveCredentials(env, { url, username: issued.user.username, access_token: issued.access_token, expires_at: expiresAt });
    process.stdout.write(`Signed in to ${url} as ${terminalSafe(issued.user.username)}; the token expires at ${new Date(expiresAt).toISOString()} (stored in ${file}).\n`);
    return exitCodes.ok;
  },
};

async function promptUsername(): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError('--username is required (or TESSERA_USERNAME)');
  const { createInterface } = await import('node:readline/promises');
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await terminal.question('Username: ')).trim();
    if (!answer) throw new UsageError('--username is required');
    return answer;
  } finally {
    terminal.close();
  }
}

export const logout: Command = {
  name: ['logout'],
  summary: 'Revoke the token of tessera login on the server, and delete it',
  details: `Revokes the stored token on the server (POST /management/users/me/revoketoken), then deletes the
credentials file. A token the server no longer accepts (expired, revoked) is simply deleted. When the
server cannot be reached the file is kept (the token still works there) and the exit code is 1.
With TESSERA_URL and TESSERA_TOKEN set and no stored token, revokes TESSERA_TOKEN.`,
  async run(_options, env) {
    // A file others could read is still revoked: its token may have leaked and must stop working. One
    // another user owns, or in a folder another user owns, is refused as by every command (exit 4)
    // and left in place: whoever wrote it chose its URL and its token, so revoking would send a token
    // to a server of their choosing (and ours, were it a copy of it), and deleting it would hide the plant.
    const stored = readCredentials(env, 'revoke');
    const environmentOnly = !stored && env.TESSERA_TOKEN;
    if (!stored && !environmentOnly) {
      process.stdout.write('Not signed in; nothing to do.\n');
      return exitCodes.ok;
    }
    // The stored token, whatever TESSERA_TOKEN says: logout is about what login stored.
    const session = stored ? { api: apiClient(stored.url, stored.access_token), url: stored.url, token: stored.access_token } : signedIn(env);
    try {
      await succeeded(session.api.POST('/management/users/{user}/revoketoken', { params: { path: { user: 'me' }, query: { token: session.token } } }), session.url);
    } catch (error) {
      // Already refused by the server: nothing left to revoke.
      if (!(error instanceof NotSignedInError)) throw error;
    }
    if (stored) deleteCredentials(env);
    process.stdout.write(`Signed out of ${session.url}${stored ? `; deleted ${credentialsFile(env)}` : ''}.\n`);
    return exitCodes.ok;
  },
};

/** A string a terminal and the credentials file may hold as it is: 1 to 4096 characters, none of them a control character. */
function wellFormed(value: unknown): value is string {
  return typeof value === 'string' && /^[^\u0000-\u001f\u007f-\u009f]{1,4096}$/.test(value);
}
