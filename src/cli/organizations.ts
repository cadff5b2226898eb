import { exitCodes, type Command } from './command.js';
import { signedIn, succeeded } from './remote/client.js';
import { jsonOption, optional, printFields, printJson, printTable, required, time, warnShownOnce } from './remote/output.js';
import { secretInput } from './remote/prompt.js';

export const listOrganizationsCommand: Command = {
  name: ['organizations', 'list'],
  summary: 'List the organizations you administer (every one for the superuser)',
  details: 'GET /management/orgs. Exit codes: 0 listed, 1 failed, 4 not signed in.',
  options: { ...jsonOption },
  async run(options, env) {
    const { api, url } = signedIn(env);
    const answer = await succeeded(api.GET('/management/orgs'), url);
    if (options.json) printJson(answer);
    else printTable(['name', 'uuid', 'applications', 'created'], answer.data.organizations.map((o) => [o.name, o.uuid, Object.keys(o.applications).map((name) => name.split('/').pop()).join(','), time(o.created)]));
    return exitCodes.ok;
  },
};

export const createOrganizationCommand: Command = {
  name: ['organizations', 'create'],
  summary: 'Create an organization and its first admin user (the superuser)',
  details: `POST /management/orgs. The admin's password is asked for without echo, or read from
TESSERA_NEW_PASSWORD. Prints the organization's client id and secret: the secret is shown only now.
Exit codes: 0 created, 1 failed (e.g. 409 the name is taken), 2 wrong usage, 4 not signed in.`,
  options: {
    name: { type: 'string', value: '<organization>', description: 'The organization name (lower-case letters, digits, _ and -)' },
    username: { type: 'string', value: '<username>', description: 'Its first admin user' },
    email: { type: 'string', value: '<email>', description: "The admin's email" },
    'full-name': { type: 'string', value: '<name>', description: "The admin's name" },
    ...jsonOption,
  },
  async run(options, env) {
    const organization = required(options, 'name');
    const username = required(options, 'username');
    const email = required(options, 'email');
    const fullName = optional(options, 'full-name');
    const { api, url } = signedIn(env);
    const password = await secretInput(env, 'TESSERA_NEW_PASSWORD', `Password for the new admin ${username}: `);
    const answer = await succeeded(api.POST('/management/orgs', { body: { organization, username, email, password, ...(fullName !== undefined && { name: fullName }) } }), url);
    if (options.json) printJson(answer);
    else {
      const { organization: created, owner, credentials } = answer.data;
      printFields([
        ['organization', created.name],
        ['uuid', created.uuid],
        ['admin', owner.username],
        ['client_id', credentials.client_id],
        ['client_secret', credentials.client_secret],
      ]);
    }
    warnShownOnce("organization's client secret");
    return exitCodes.ok;
  },
};
