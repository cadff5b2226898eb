import type { components } from '../../generated/openapi.js';
import { exitCodes, UsageError, type Command } from './command.js';
import { signedIn, succeeded } from './remote/client.js';
import { jsonOption, printFields, printJson, printTable, required, time, warnShownOnce } from './remote/output.js';
import { applicationOf, applicationOptions } from './remote/scope.js';

type NewOAuthClient = components['schemas']['NewOAuthClient'];
type GrantType = NonNullable<NewOAuthClient['grant_types']>[number];
type AuthMethod = NonNullable<NewOAuthClient['token_endpoint_auth_method']>;
const grantTypes: readonly GrantType[] = ['authorization_code', 'refresh_token', 'password', 'client_credentials'];
const authMethods: readonly AuthMethod[] = ['client_secret_basic', 'client_secret_post', 'none'];

/** A value of a list the spec fixes, else wrong usage (before anything is sent). */
function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${option} must be one of ${allowed.join(', ')}`);
  return value as T;
}

const list = (value: unknown) => (Array.isArray(value) ? (value as string[]) : []);

export const listOAuthClientsCommand: Command = {
  name: ['oauth-clients', 'list'],
  summary: "List an application's OAuth clients (never their secrets)",
  details: 'GET /management/orgs/{org}/apps/{app}/clients. Exit codes: 0 listed, 1 failed, 2 wrong usage, 4 not signed in.',
  options: { ...applicationOptions, ...jsonOption },
  async run(options, env) {
    const path = applicationOf(options, env);
    const { api, url } = signedIn(env);
    const answer = await succeeded(api.GET('/management/orgs/{org}/apps/{app}/clients', { params: { path } }), url);
    if (options.json) printJson(answer);
    else {
      printTable(
        ['client_id', 'name', 'grant_types', 'auth_method', 'first_party', 'redirect_uris', 'created'],
        answer.clients.map((c) => [c.client_id, c.name, c.grant_types.join(','), c.token_endpoint_auth_method, c.first_party ? 'yes' : 'no', c.redirect_uris.join(' '), time(c.created)]),
      );
    }
    return exitCodes.ok;
  },
};

export const registerOAuthClientCommand: Command = {
  name: ['oauth-clients', 'register'],
  summary: 'Register an OAuth client of an application (its secret is shown once)',
  details: `POST /management/orgs/{org}/apps/{app}/clients. --redirect-uri and --grant-type may be repeated.
Redirect URIs must be https (http only for loopback). --auth-method none makes a public client.
Exit codes: 0 registered, 1 failed (e.g. 400 a redirect URI refused), 2 wrong usage, 4 not signed in.`,
  options: {
    ...applicationOptions,
    name: { type: 'string', value: '<name>', description: 'Shown to users on the consent page' },
    'redirect-uri': { type: 'string', multiple: true, value: '<uri>', description: 'A redirect URI (repeat for more)' },
    'grant-type': { type: 'string', multiple: true, value: '<grant>', description: `${grantTypes.join('|')} (repeat; default authorization_code and refresh_token)` },
    'auth-method': { type: 'string', value: '<method>', description: `${authMethods.join('|')} (default client_secret_basic)` },
    'first-party': { type: 'boolean', description: "The application's own client (may use the password grant)" },
    ...jsonOption,
  },
  async run(options, env) {
    const path = applicationOf(options, env);
    const body: NewOAuthClient = { name: required(options, 'name') };
    if (options['redirect-uri']) body.redirect_uris = list(options['redirect-uri']);
    if (options['grant-type']) body.grant_types = list(options['grant-type']).map((g) => oneOf(g, grantTypes, 'grant-type'));
    if (typeof options['auth-method'] === 'string') body.token_endpoint_auth_method = oneOf(options['auth-method'], authMethods, 'auth-method');
    if (options['first-party']) body.first_party = true;
    const { api, url } = signedIn(env);
    const client = await succeeded(api.POST('/management/orgs/{org}/apps/{app}/clients', { params: { path }, body }), url);
    if (options.json) printJson(client);
    else {
      printFields([
        ['client_id', client.client_id],
        ['client_secret', client.client_secret ?? '(none: a public client)'],
        ['name', client.name],
        ['grant_types', client.grant_types.join(',')],
        ['auth_method', client.token_endpoint_auth_method],
        ['redirect_uris', client.redirect_uris.join(' ')],
      ]);
    }
    if (client.client_secret) warnShownOnce('client secret');
    return exitCodes.ok;
  },
};

export const deleteOAuthClientCommand: Command = {
  name: ['oauth-clients', 'delete'],
  summary: 'Remove an OAuth client; every token it was issued stops working',
  details: `DELETE /management/orgs/{org}/apps/{app}/clients/{client}.
Exit codes: 0 removed, 1 failed (e.g. 404 no such client), 2 wrong usage, 4 not signed in.`,
  options: { ...applicationOptions, client: { type: 'string', value: '<client_id>', description: 'The client to remove' }, ...jsonOption },
  async run(options, env) {
    const path = { ...applicationOf(options, env), client: required(options, 'client') };
    const { api, url } = signedIn(env);
    await succeeded(api.DELETE('/management/orgs/{org}/apps/{app}/clients/{client}', { params: { path } }), url);
    if (options.json) printJson({ deleted: path.client });
    else process.stdout.write(`Removed OAuth client ${path.client}; its tokens no longer work.\n`);
    return exitCodes.ok;
  },
};
