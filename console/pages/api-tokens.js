// @ts-check
import { api, call } from '../api.js';
import { actionButton, applicationTabs, form, h, secretOnce, section, table, trail, when } from '../ui.js';

/** @typedef {import('../../generated/openapi.js').components['schemas']['ApiToken']} ApiToken */
/** @typedef {import('../../generated/openapi.js').components['schemas']['NewApiToken']} NewApiToken */

/** How the page names each access level (the form's hint says what each lets a token do). @type {Record<ApiToken['access'], string>} */
const accessLabels = {
  read: 'Read access',
  full: 'Full access',
};

/** Lifetimes offered (seconds; '' is until revoked): `expires_in` allows up to ten years. @type {Array<[string, string]>} */
const lifetimes = [
  ['', 'Until revoked'],
  [String(30 * 24 * 3600), '30 days'],
  [String(90 * 24 * 3600), '90 days'],
  [String(365 * 24 * 3600), '1 year'],
];

/** @param {string} value @returns {NewApiToken['access']} */
function accessOf(value) {
  // Fail closed: anything but an exact `full` is the lesser access.
  return value === 'full' ? 'full' : 'read';
}

/**
 * An application's API tokens (Quable style): the live ones with their access and last use, a form
 * that creates one (its value shown once), and revocation.
 * @type {import('../app.js').PageFunction}
 */
export async function apiTokensPage(context) {
  const org = context.params.org ?? '';
  const app = context.params.app ?? '';
  const path = { org, app };
  const answer = await call(api.GET('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path } }));
  return {
    title: `API tokens of ${app}`,
    trail: trail(org, app, 'API tokens'),
    content: [
      applicationTabs(org, app, 'api-tokens'),
      section('API tokens',
        h('p', { class: 'muted' }, 'Long-lived tokens for scripts and integrations, tied to the application and to no user: they keep working when the admin who made them leaves. Send one as ', h('code', {}, 'Authorization: Bearer <token>'), '.'),
        table(
          [
            { label: 'Name', cell: (t) => t.name },
            { label: 'Access', cell: (t) => h('span', { class: 'badge' }, accessLabels[t.access]) },
            { label: 'Created', cell: (t) => when(t.created) },
            { label: 'Expires', cell: (t) => (t.expires === null ? 'Never' : when(t.expires)) },
            { label: 'Last used', cell: (t) => (t.last_used === null ? 'Never used' : when(t.last_used)) },
            {
              label: 'Actions',
              className: 'actions-cell',
              cell: (t) => actionButton(`Revoke ${t.name}`, `Revoke the API token “${t.name}”? Whatever uses it is refused from its next request.`, async () => {
                await call(api.DELETE('/management/orgs/{org}/apps/{app}/api-tokens/{apiToken}', { params: { path: { ...path, apiToken: t.id } } }));
                await context.reload();
              }),
            },
          ],
          answer.data.api_tokens,
          'No API tokens yet: create one below.',
          'API tokens',
        )),
      section('Create an API token',
        form({
          label: 'Create an API token',
          submit: 'Create API token',
          fields: [
            { name: 'name', label: 'Name', required: true, hint: 'What the token is for, e.g. nightly-export.' },
            {
              name: 'access',
              label: 'Access',
              type: 'select',
              value: 'read',
              options: [['read', 'Read access: read operations only'], ['full', 'Full access: everything but API tokens']],
              hint: 'Read access may only read (any write is refused). Full access may do everything in the application except manage API tokens. Give the least that works.',
            },
            { name: 'expires_in', label: 'Lifetime', type: 'select', value: '', options: lifetimes, hint: 'Until revoked, or it stops working by itself after this long.' },
          ],
          onSubmit: async (values) => {
            /** @type {NewApiToken} */
            const body = { name: values.name ?? '', access: accessOf(values.access ?? ''), ...(values.expires_in ? { expires_in: Number(values.expires_in) } : {}) };
            const made = await call(api.POST('/management/orgs/{org}/apps/{app}/api-tokens', { params: { path }, body }));
            // The value is in this answer only: the notice is drawn whatever the redraw does.
            await context.reload([
              h('p', { class: 'notice', role: 'status' }, `Created the API token “${made.data.api_token.name}” (${accessLabels[made.data.api_token.access]}).`),
              secretOnce(`API token ${made.data.api_token.name}`, [['Token', made.data.access_token]]),
            ]);
          },
        })),
    ],
  };
}
