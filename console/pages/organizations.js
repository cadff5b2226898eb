// @ts-check
import { api, call } from '../api.js';
import { actionButton, facts, form, h, href, secretOnce, section, table, trail, when } from '../ui.js';

/** @typedef {import('../../generated/openapi.js').components['schemas']['Organization']} Organization */
/** @typedef {import('../../generated/openapi.js').components['schemas']['OrganizationAdmin']} OrganizationAdmin */

/**
 * The organizations the signed-in admin administers (every one for the superuser), and for the
 * superuser the form that creates one with its first admin.
 * @type {import('../app.js').PageFunction}
 */
export async function organizationsPage(context) {
  const answer = await call(api.GET('/management/orgs', {}));
  const organizations = answer.data.organizations;
  return {
    title: 'Organizations',
    trail: [['Organizations', '']],
    content: [
      section('Your organizations',
        table(
          [
            { label: 'Name', cell: (o) => h('a', { href: href(o.name) }, o.name) },
            { label: 'Applications', cell: (o) => String(Object.keys(o.applications).length) },
            { label: 'Created', cell: (o) => when(o.created) },
          ],
          organizations,
          context.admin.superuser ? 'No organizations yet: create the first one below.' : 'You administer no organization. An admin of one, or the superuser, can add you.',
          'Organizations',
        )),
      context.admin.superuser
        ? section('Create an organization',
          h('p', { class: 'muted' }, 'An organization comes with its first admin user, client credentials and an application named sandbox.'),
          form({
            label: 'Create an organization',
            submit: 'Create organization',
            fields: [
              { name: 'organization', label: 'Organization name', required: true, hint: 'Lower-case letters, digits, _ and -; 2 to 64 characters.' },
              { name: 'username', label: 'First admin’s username', required: true, autocomplete: 'off' },
              { name: 'email', label: 'First admin’s email', type: 'email', required: true },
              { name: 'name', label: 'First admin’s full name' },
              { name: 'password', label: 'First admin’s password', type: 'password', required: true, autocomplete: 'new-password', hint: 'At least 8 characters.' },
            ],
            onSubmit: async (values) => {
              const body = { organization: values.organization ?? '', username: values.username ?? '', email: values.email ?? '', password: values.password ?? '', ...(values.name ? { name: values.name } : {}) };
              const made = await call(api.POST('/management/orgs', { body }));
              const name = made.data.organization.name;
              // The secret is in this answer only: the notice is drawn whatever the redraw does.
              await context.reload([
                h('p', { class: 'notice', role: 'status' }, `Created ${name}. `, h('a', { href: href(name) }, `Open ${name}`)),
                secretOnce(`Client credentials of ${name}`, [['Client id', made.data.credentials.client_id], ['Client secret', made.data.credentials.client_secret]]),
              ]);
            },
          }))
        : null,
    ],
  };
}

/**
 * One organization: its applications (and a form for a new one), its admins, its client
 * credentials, and the way to its audit events.
 * @type {import('../app.js').PageFunction}
 */
export async function organizationPage(context) {
  const org = context.params.org ?? '';
  const path = { org };
  const [organization, applications, admins, credentials] = await Promise.all([
    call(api.GET('/management/orgs/{org}', { params: { path } })),
    call(api.GET('/management/orgs/{org}/apps', { params: { path } })),
    call(api.GET('/management/orgs/{org}/users', { params: { path } })),
    call(api.GET('/management/orgs/{org}/credentials', { params: { path } })),
  ]);
  const newSecret = h('div', {});
  /** @type {OrganizationAdmin[]} */
  const adminList = admins.data;
  return {
    title: `Organization ${organization.data.organization.name}`,
    trail: trail(org),
    content: [
      h('p', {}, h('a', { href: href(org, undefined, 'audit-events') }, 'Audit events of this organization'), ' (sign-ins, lockouts, changes).'),
      section('Applications',
        table(
          [
            { label: 'Name', cell: (a) => h('a', { href: href(org, a.name) }, a.name) },
            { label: 'Client id', cell: (a) => h('code', {}, a.credentials.client_id) },
            { label: 'Created', cell: (a) => when(a.created) },
          ],
          applications.data.applications,
          'No applications yet.',
          'Applications',
        ),
        form({
          label: 'Create an application',
          layout: 'inline',
          submit: 'Create application',
          fields: [{ name: 'name', label: 'New application’s name', required: true, hint: 'Lower-case letters, digits, _ and -.' }],
          onSubmit: async (values) => {
            const made = await call(api.POST('/management/orgs/{org}/apps', { params: { path }, body: { name: values.name ?? '' } }));
            const app = made.data.application.name;
            const secrets = made.data.credentials;
            // The secrets are in this answer only: the notice is drawn whatever the redraw does.
            await context.reload([
              h('p', { class: 'notice', role: 'status' }, `Created ${app}. `, h('a', { href: href(org, app) }, `Open ${app}`)),
              secretOnce(`Credentials of ${app}`, [['Client id', secrets.client_id], ['Client secret', secrets.client_secret], ['QuickBlox application id', String(secrets.application_id)], ['QuickBlox auth key', secrets.auth_key], ['QuickBlox auth secret', secrets.auth_secret]]),
            ]);
          },
        })),
      section('Client credentials',
        h('p', { class: 'muted' }, 'The organization’s client id and secret act as an admin of every application in it. The secret is shown only when it is issued.'),
        facts([['Client id', h('code', {}, credentials.credentials.client_id)]]),
        newSecret,
        actionButton('Rotate client secret', 'Issue a new client secret? The current one stops working at once.', async () => {
          const rotated = await call(api.POST('/management/orgs/{org}/credentials', { params: { path } }));
          newSecret.replaceChildren(secretOnce('New client secret', [['Client id', rotated.credentials.client_id], ['Client secret', rotated.credentials.client_secret]]));
        })),
      section('Admins',
        table(
          [
            { label: 'Username', cell: (a) => a.username },
            { label: 'Email', cell: (a) => a.email },
            { label: 'Name', cell: (a) => a.name },
            { label: 'Active', cell: (a) => (a.activated ? 'yes' : h('span', { class: 'badge off' }, 'deactivated')) },
            {
              label: 'Actions',
              className: 'actions-cell',
              cell: (a) => actionButton('Remove', `Remove ${a.username} from ${org}? Their tokens lose this organization at once.`, async () => {
                await call(api.DELETE('/management/orgs/{org}/users/{user}', { params: { path: { org, user: a.username } } }));
                await context.reload();
              }, 'danger', `Remove ${a.username}`),
            },
          ],
          adminList,
          'No admins.',
          'Admins',
        ),
        form({
          label: 'Add an admin',
          layout: 'inline',
          submit: 'Add admin',
          fields: [{ name: 'user', label: 'Existing admin user (username or email)', required: true, hint: 'An admin of an organization you also administer (the superuser can add any admin user).' }],
          onSubmit: async (values) => {
            await call(api.PUT('/management/orgs/{org}/users/{user}', { params: { path: { org, user: values.user ?? '' } } }));
            await context.reload();
          },
        })),
    ],
  };
}
