import { exitCodes, UsageError, type Command } from './command.js';
import { signedIn, succeeded } from './remote/client.js';
import { integer, jsonOption, printFields, printJson, printTable, required, time, warnShownOnce } from './remote/output.js';
import { applicationOf, applicationOptions } from './remote/scope.js';

export const listApiTokensCommand: Command = {
  name: ['api-tokens', 'list'],
  summary: "List an application's live API tokens (never their values)",
  details: 'GET /management/orgs/{org}/apps/{app}/api-tokens. Exit codes: 0 listed, 1 failed, 2 wrong usage, 4 not signed in.',
  options: { ...applicationOptions, ...jsonOption },
  async run(options, env) {
    const path = applicationOf(options, env);
    const { api, url } = signedIn(env);
    const answer = await succeeded(api.GET('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path } }), url);
    if (options.json) printJson(answer);
    else printTable(['id', 'name', 'access', 'created', 'expires', 'last_used'], answer.data.api_tokens.map((t) => [t.id, t.name, t.access, time(t.created), time(t.expires) ?? 'never', time(t.last_used)]));
    return exitCodes.ok;
  },
};

export const createApiTokenCommand: Command = {
  name: ['api-tokens', 'create'],
  summary: 'Create an API token for an application (its value is shown once)',
  details: `POST /management/orgs/{org}/apps/{app}/api-tokens. --access read may only call read operations.
Without --expires-in the token lives until it is revoked. Needs an admin token (an API token may not
create one). Exit codes: 0 created, 1 failed, 2 wrong usage, 4 not signed in.`,
  options: {
    ...applicationOptions,
    name: { type: 'string', value: '<name>', description: 'What the token is for' },
    access: { type: 'string', value: 'full|read', description: 'What it may do (default full)' },
    'expires-in': { type: 'string', value: '<seconds>', description: 'Its lifetime (default: until revoked)' },
    ...jsonOption,
  },
  async run(options, env) {
    const path = applicationOf(options, env);
    const name = required(options, 'name');
    const access = options.access ?? 'full';
    if (access !== 'full' && access !== 'read') throw new UsageError('--access must be full or read');
    const expiresIn = integer(options, 'expires-in', 1, 315_360_000);
    const { api, url } = signedIn(env);
    const answer = await succeeded(
      api.POST('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path }, body: { name, access, ...(expiresIn !== undefined && { expires_in: expiresIn }) } }),
      url,
    );
    if (options.json) printJson(answer);
    else {
      const { api_token: token, access_token: value } = answer.data;
      printFields([['id', token.id], ['name', token.name], ['access', token.access], ['expires', time(token.expires) ?? 'never'], ['token', value]]);
    }
    warnShownOnce("API token's value");
    return exitCodes.ok;
  },
};

export const revokeApiTokenCommand: Command = {
  name: ['api-tokens', 'revoke'],
  summary: 'Revoke an API token (by the id api-tokens list shows)',
  details: `DELETE /management/orgs/{org}/apps/{app}/api-tokens/{id}. The token fails on the very next request.
Exit codes: 0 revoked, 1 failed (e.g. 404 no such token), 2 wrong usage, 4 not signed in.`,
  options: { ...applicationOptions, id: { type: 'string', value: '<id>', description: 'The API token id' }, ...jsonOption },
  async run(options, env) {
    const path = applicationOf(options, env);
    const apiToken = integer({ id: required(options, 'id') }, 'id', 1, Number.MAX_SAFE_INTEGER)!;
    const { api, url } = signedIn(env);
    const answer = await succeeded(api.DELETE('/management/orgs/{org}/apps/{app}/api-tokens/{apiToken}', { params: { path: { ...path, apiToken } } }), url);
    if (options.json) printJson(answer);
    else process.stdout.write(`Revoked API token ${apiToken} (${answer.data.api_token.name}).\n`);
    return exitCodes.ok;
  },
};
