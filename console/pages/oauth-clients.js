// @ts-check
import { api, ApiError, call } from '../api.js';
import { actionButton, applicationTabs, FieldError, form, h, secretOnce, section, table, trail, when } from '../ui.js';

/** @typedef {import('../../generated/openapi.js').components['schemas']['OAuthClient']} OAuthClient */
/** @typedef {import('../../generated/openapi.js').components['schemas']['NewOAuthClient']} NewOAuthClient */
/** @typedef {OAuthClient['grant_types'][number]} GrantType */
/** @typedef {OAuthClient['token_endpoint_auth_method']} AuthMethod */

/** Every grant type the spec allows, in words (a Record, so the typecheck fails when the spec adds one). @type {Record<GrantType, string>} */
const grantLabels = {
  authorization_code: 'Authorization code: users sign in and consent in the browser',
  refresh_token: 'Refresh token: stay signed in (with authorization code or password)',
  password: 'Password: the client takes the user’s password (first-party confidential clients only)',
  client_credentials: 'Client credentials: the client acts as itself, with no user (services)',
};

/** Short names of the grants for the list. @type {Record<GrantType, string>} */
const grantNames = {
  authorization_code: 'authorization code',
  refresh_token: 'refresh token',
  password: 'password',
  client_credentials: 'client credentials',
};

/** How the client proves itself at the token endpoint. @type {Record<AuthMethod, string>} */
const authMethodLabels = {
  client_secret_basic: 'Confidential, secret by HTTP Basic',
  client_secret_post: 'Confidential, secret in the body',
  none: 'Public, no secret',
};

/** @param {string} value @returns {AuthMethod} */
function authMethodOf(value) {
  if (value === 'client_secret_post' || value === 'none') return value;
  return 'client_secret_basic';
}

/** @param {string} value @returns {value is GrantType} */
function isGrantType(value) {
  return Object.hasOwn(grantLabels, value);
}

/**
 * An application's OAuth clients: the registered ones, registration (the client id and secret
 * shown once), and deletion.
 * @type {import('../app.js').PageFunction}
 */
export async function oauthClientsPage(context) {
  const org = context.params.org ?? '';
  const app = context.params.app ?? '';
  const path = { org, app };
  const answer = await call(api.GET('/management/orgs/{org}/apps/{app}/clients', { params: { path } }));
  const register = form({
    label: 'Register an OAuth client',
    submit: 'Register client',
    fields: [
      { name: 'name', label: 'Name', required: true, hint: 'Users see it on the consent page.' },
      {
        name: 'redirect_uris',
        label: 'Redirect URIs',
        type: 'textarea',
        placeholder: 'https://app.example/oauth/callback',
        hint: 'One per line; needed for the authorization code grant. https, or plain http only on 127.0.0.1, [::1] or localhost (native apps, development); no #fragment. Matched exactly as written.',
      },
      {
        name: 'token_endpoint_auth_method',
        label: 'Client type',
        type: 'select',
        value: 'client_secret_basic',
        options: Object.entries(authMethodLabels),
        hint: 'A confidential client (a server) gets a secret and sends it with HTTP Basic or in the token request’s body. A public client (a mobile or browser app) cannot keep one: it signs users in with PKCE, by authorization code and refresh token only.',
      },
      { name: 'first_party', label: 'First party: the application’s own client (may use the password grant)', type: 'checkbox' },
      { name: 'grant_types', label: 'Grant types', type: 'checkboxes', options: Object.entries(grantLabels), checkedValues: ['authorization_code', 'refresh_token'] },
    ],
    onSubmit: async (values) => {
      /** @type {NewOAuthClient} */
      const body = {
        name: values.name ?? '',
        redirect_uris: (values.redirect_uris ?? '').split('\n').map((uri) => uri.trim()).filter(Boolean),
        grant_types: (values.grant_types ?? '').split(',').filter(isGrantType),
        token_endpoint_auth_method: authMethodOf(values.token_endpoint_auth_method ?? ''),
        first_party: values.first_party === 'true',
      };
      let made;
      try {
        made = await call(api.POST('/management/orgs/{org}/apps/{app}/clients', { params: { path }, body }));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.code === 'invalid_redirect_uri' || /^redirect_uris\b/.test(error.message)) throw new FieldError('redirect_uris', error.message);
        // The API's words about grants name a grant type, not the field.
        if (/^grant_types\b|grant\b|^refresh_token\b|may not use/.test(error.message)) throw new FieldError('grant_types', error.message);
        throw error;
      }
      const shown = made.client_secret === undefined
        ? h('div', { class: 'secret', role: 'region', 'aria-label': `Client ${made.name}` }, h('strong', {}, `Client ${made.name}`), h('p', {}, 'Client id: ', h('code', {}, made.client_id)), h('p', { class: 'muted' }, 'A public client has no secret: it signs users in with PKCE.'))
        : secretOnce(`Client ${made.name}`, [['Client id', made.client_id], ['Client secret', made.client_secret]]);
      // The secret is in this answer only: the notice is drawn whatever the redraw does.
      await context.reload([h('p', { class: 'notice', role: 'status' }, `Registered the OAuth client “${made.name}”.`), shown]);
    },
  });
  return {
    title: `OAuth clients of ${app}`,
    trail: trail(org, app, 'OAuth clients'),
    content: [
      applicationTabs(org, app, 'oauth-clients'),
      section('OAuth clients',
        h('p', { class: 'muted' }, 'Apps and services that get tokens from this application’s OAuth 2 endpoints (', h('code', {}, '/oauth/authorize'), ', ', h('code', {}, '/oauth/token'), ').'),
        table(
          [
            { label: 'Name', cell: (c) => c.name },
            { label: 'Client id', cell: (c) => h('code', {}, c.client_id) },
            { label: 'Type', cell: (c) => [c.token_endpoint_auth_method === 'none' ? 'Public' : 'Confidential', c.first_party ? ', first party' : ''] },
            { label: 'Grant types', cell: (c) => c.grant_types.map((g) => grantNames[g]).join(', ') },
            { label: 'Redirect URIs', cell: (c) => (c.redirect_uris.length ? h('ul', {}, c.redirect_uris.map((uri) => h('li', {}, h('code', {}, uri)))) : '—') },
            { label: 'Registered', cell: (c) => when(c.created) },
            {
              label: 'Actions',
              className: 'actions-cell',
              cell: (c) => actionButton(`Delete ${c.name}`, `Delete the OAuth client “${c.name}”? Every token it was issued stops working at once.`, async () => {
                await call(api.DELETE('/management/orgs/{org}/apps/{app}/clients/{client}', { params: { path: { ...path, client: c.client_id } } }));
                await context.reload();
              }),
            },
          ],
          answer.clients,
          'No OAuth clients yet: register one below.',
          'OAuth clients',
        )),
      section('Register an OAuth client', register),
    ],
  };
}
