import { exitCodes, type Command } from './command.js';
import { signedIn, succeeded } from './remote/client.js';
import { jsonOption, printFields, printJson, printTable, required, time, warnShownOnce } from './remote/output.js';
import { applicationOf, applicationOptions, organizationOf, organizationOption } from './remote/scope.js';

export const listApplicationsCommand: Command = {
  name: ['applications', 'list'],
  summary: "List an organization's applications",
  details: 'GET /management/orgs/{org}/apps. Exit codes: 0 listed, 1 failed, 2 wrong usage, 4 not signed in.',
  options: { ...organizationOption, ...jsonOption },
  async run(options, env) {
    const org = organizationOf(options, env);
    const { api, url } = signedIn(env);
    const answer = await succeeded(api.GET('/management/orgs/{org}/apps', { params: { path: { org } } }), url);
    if (options.json) printJson(answer);
    else {
      printTable(
        ['name', 'uuid', 'client_id', 'application_id', 'auth_key', 'created'],
        answer.data.applications.map((a) => [a.name, a.uuid, a.credentials.client_id, a.credentials.application_id, a.credentials.auth_key, time(a.created)]),
      );
    }
    return exitCodes.ok;
  },
};

export const createApplicationCommand: Command = {
  name: ['applications', 'create'],
  summary: 'Create an application (its secrets are shown once)',
  details: `POST /management/orgs/{org}/apps. Prints the client id and secret and the QuickBlox keys: the
secrets (client_secret, auth_secret) are shown only now.
Exit codes: 0 created, 1 failed (e.g. 409 the name is taken), 2 wrong usage, 4 not signed in.`,
  options: { ...organizationOption, name: { type: 'string', value: '<app>', description: 'The application name (lower-case letters, digits, _ and -)' }, ...jsonOption },
  async run(options, env) {
    const org = organizationOf(options, env);
    const name = required(options, 'name');
    const { api, url } = signedIn(env);
    const answer = await succeeded(api.POST('/management/orgs/{org}/apps', { params: { path: { org } }, body: { name } }), url);
    if (options.json) printJson(answer);
    else {
      const { application, credentials } = answer.data;
      printFields([['application', `${application.organization}/${application.name}`], ['uuid', application.uuid], ...secretFields(credentials)]);
    }
    warnShownOnce('client secret and auth secret');
    return exitCodes.ok;
  },
};

export const rotateApplicationCredentialsCommand: Command = {
  name: ['applications', 'rotate-credentials'],
  summary: "Issue a new client secret and auth secret (shown once); the old ones stop working",
  details: `POST /management/orgs/{org}/apps/{app}/credentials. The old secrets stop working at once.
Exit codes: 0 rotated, 1 failed, 2 wrong usage, 4 not signed in.`,
  options: { ...applicationOptions, ...jsonOption },
  async run(options, env) {
    const path = applicationOf(options, env);
    const { api, url } = signedIn(env);
    const answer = await succeeded(api.POST('/management/orgs/{org}/apps/{app}/credentials', { params: { path } }), url);
    if (options.json) printJson(answer);
    else printFields([['application', `${path.org}/${path.app}`], ...secretFields(answer.credentials)]);
    warnShownOnce('client secret and auth secret');
    return exitCodes.ok;
  },
};

function secretFields(credentials: { client_id: string; client_secret: string; application_id: number; auth_key: string; auth_secret: string }): [string, unknown][] {
  return [
    ['client_id', credentials.client_id],
    ['client_secret', credentials.client_secret],
    ['application_id', credentials.application_id],
    ['auth_key', credentials.auth_key],
    ['auth_secret', credentials.auth_secret],
  ];
}
