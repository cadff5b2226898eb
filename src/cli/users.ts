import { exitCodes, type Command } from './command.js';
import { signedIn, succeeded } from './remote/client.js';
import { integer, jsonOption, optional, printJson, printTable, required, time } from './remote/output.js';
import { secretInput } from './remote/prompt.js';
import { applicationOf, applicationOptions } from './remote/scope.js';

type User = { uuid: string; username: string; email?: string; name?: string; activated: boolean; created: number };
const userRows = (users: User[]) => users.map((u) => [u.username, u.uuid, u.email, u.name, u.activated ? 'yes' : 'no', time(u.created)]);
const userHeaders = ['username', 'uuid', 'email', 'name', 'activated', 'created'];

export const listUsersCommand: Command = {
  name: ['users', 'list'],
  summary: "List an application's users (a page; --cursor for the next)",
  details: `GET /{org}/{app}/users. When there are more, the cursor of the next page is printed on stderr.
Exit codes: 0 listed, 1 failed, 2 wrong usage, 4 not signed in.`,
  options: {
    ...applicationOptions,
    limit: { type: 'string', value: '<n>', description: 'Users per page (1 to 1000)' },
    cursor: { type: 'string', value: '<cursor>', description: 'The page after the one that printed it' },
    ...jsonOption,
  },
  async run(options, env) {
    const path = applicationOf(options, env);
    const limit = integer(options, 'limit', 1, 1000);
    const cursor = optional(options, 'cursor');
    const { api, url } = signedIn(env);
    const answer = await succeeded(api.GET('/{org}/{app}/users', { params: { path, query: { ...(limit !== undefined && { limit }), ...(cursor !== undefined && { cursor }) } } }), url);
    if (options.json) printJson(answer);
    else {
      printTable(userHeaders, userRows(answer.entities));
      if (answer.cursor) process.stderr.write(`More: --cursor ${answer.cursor}\n`);
    }
    return exitCodes.ok;
  },
};

export const createUserCommand: Command = {
  name: ['users', 'create'],
  summary: 'Create an application user',
  details: `POST /{org}/{app}/users. The password is asked for without echo, or read from TESSERA_NEW_PASSWORD.
Exit codes: 0 created, 1 failed (e.g. 409 the username is taken), 2 wrong usage, 4 not signed in.`,
  options: {
    ...applicationOptions,
    username: { type: 'string', value: '<username>', description: 'The new user' },
    email: { type: 'string', value: '<email>', description: 'Their email' },
    'full-name': { type: 'string', value: '<name>', description: 'Their name' },
    ...jsonOption,
  },
  async run(options, env) {
    const path = applicationOf(options, env);
    const username = required(options, 'username');
    const email = optional(options, 'email');
    const name = optional(options, 'full-name');
    const { api, url } = signedIn(env);
    const password = await secretInput(env, 'TESSERA_NEW_PASSWORD', `Password for the new user ${username}: `);
    const answer = await succeeded(
      api.POST('/{org}/{app}/users', { params: { path }, body: { username, password, ...(email !== undefined && { email }), ...(name !== undefined && { name }) } }),
      url,
    );
    if (options.json) printJson(answer);
    else printTable(userHeaders, userRows(answer.entities));
    return exitCodes.ok;
  },
};

const userOption = { user: { type: 'string', value: '<user>', description: 'The user: uuid, username or email' } } as const;

export const deactivateUserCommand: Command = {
  name: ['users', 'deactivate'],
  summary: "Deactivate an application user (their tokens stop working; no new sign-in)",
  details: `POST /{org}/{app}/users/{user}/deactivate. Exit codes: 0 deactivated, 1 failed (e.g. 404 no such user), 2 wrong usage, 4 not signed in.`,
  options: { ...applicationOptions, ...userOption, ...jsonOption },
  async run(options, env) {
    const path = { ...applicationOf(options, env), user: required(options, 'user') };
    const { api, url } = signedIn(env);
    const answer = await succeeded(api.POST('/{org}/{app}/users/{user}/deactivate', { params: { path } }), url);
    if (options.json) printJson(answer);
    else printTable(userHeaders, userRows(answer.entities));
    return exitCodes.ok;
  },
};

export const setUserPasswordCommand: Command = {
  name: ['users', 'set-password'],
  summary: "Set an application user's password (every token of theirs is revoked)",
  details: `PUT /{org}/{app}/users/{user}/password, as an admin (no old password needed). The new password is
asked for without echo, or read from TESSERA_NEW_PASSWORD.
Exit codes: 0 set, 1 failed (e.g. 404 no such user), 2 wrong usage, 4 not signed in.`,
  options: { ...applicationOptions, ...userOption, ...jsonOption },
  async run(options, env) {
    const path = { ...applicationOf(options, env), user: required(options, 'user') };
    const { api, url } = signedIn(env);
    const newpassword = await secretInput(env, 'TESSERA_NEW_PASSWORD', `New password for ${path.user}: `);
    const answer = await succeeded(api.PUT('/{org}/{app}/users/{user}/password', { params: { path }, body: { newpassword } }), url);
    if (options.json) printJson(answer);
    else process.stdout.write(`Set the password of ${path.user} in ${path.org}/${path.app}; their tokens are revoked.\n`);
    return exitCodes.ok;
  },
};
