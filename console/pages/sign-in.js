// @ts-check
import { signIn } from '../api.js';
import { form, h } from '../ui.js';

/**
 * The sign-in form: an admin user's or the superuser's username (or email) and password, through
 * the management API's password grant, whose brute-force rules apply here as to any client.
 * @param {{ reason?: string, signedIn: (admin: import('../api.js').AdminUser) => void }} options
 */
export function signInPage(options) {
  return h('div', { class: 'signin' },
    options.reason ? h('p', { class: 'notice', role: 'status' }, options.reason) : null,
    form({
      label: 'Sign in',
      submit: 'Sign in',
      errorsAtFields: false,
      fields: [
        { name: 'username', label: 'Username or email', autocomplete: 'username', required: true },
        { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true },
      ],
      onSubmit: async (values) => {
        options.signedIn(await signIn(values.username ?? '', values.password ?? ''));
      },
    }),
    h('p', { class: 'muted' }, 'The console signs in to this server’s management API. The session lasts at most 8 hours. Signing out, reloading or closing the page ends it: its token is revoked.'));
}
