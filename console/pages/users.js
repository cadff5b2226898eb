// @ts-check
import { api, call } from '../api.js';
import { actionButton, announce, applicationTabs, facts, form, h, href, pagedTable, refusal, section, trail, when } from '../ui.js';

/** @typedef {import('../../generated/openapi.js').components['schemas']['User']} User */
/** @typedef {import('../../generated/openapi.js').components['schemas']['Role']} Role */

/** Users per page of the list: the API's cursor reads the next. */
const pageSize = 20;

/** @param {User} user */
function activeBadge(user) {
  return user.activated ? 'yes' : h('span', { class: 'badge off' }, 'deactivated');
}

/**
 * An application's users: the list a page at a time, a look-up by exact username, email or uuid
 * (the API has no search by part of a name), and the form that creates one.
 * @type {import('../app.js').PageFunction}
 */
export async function usersPage(context) {
  const org = context.params.org ?? '';
  const app = context.params.app ?? '';
  const path = { org, app };
  /** @param {string} [cursor] */
  const listPage = (cursor) => call(api.GET('/{org}/{app}/users', { params: { path, query: { limit: pageSize, ...(cursor === undefined ? {} : { cursor }) } } }));
  const first = await listPage();
  return {
    title: `Users of ${app}`,
    trail: trail(org, app, 'Users'),
    content: [
      applicationTabs(org, app, 'users'),
      section('Find a user',
        form({
          label: 'Find a user',
          layout: 'inline',
          submit: 'Find',
          fields: [{ name: 'user', label: 'Username, email or uuid', required: true, hint: 'Exact, whole values only: the API reads one user by username, email or uuid and has no search by part of a name.' }],
          onSubmit: async (values) => {
            const found = await call(api.GET('/{org}/{app}/users/{user}', { params: { path: { ...path, user: (values.user ?? '').trim() } } }));
            const user = found.entities[0];
            if (!user) throw refusal('No user has that username, email or uuid.');
            context.go(href(org, app, 'users', user.username));
          },
        })),
      section('Users of this application',
        pagedTable(
          [
            { label: 'Username', cell: (u) => h('a', { href: href(org, app, 'users', u.username) }, u.username) },
            { label: 'Name', cell: (u) => u.name ?? '—' },
            { label: 'Email', cell: (u) => u.email ?? '—' },
            { label: 'Active', cell: activeBadge },
            { label: 'Created', cell: (u) => when(u.created) },
          ],
          first,
          listPage,
          { empty: 'No users yet: create the first one below.', label: 'Users', more: 'More users' },
        )),
      section('Create a user',
        form({
          label: 'Create a user',
          submit: 'Create user',
          fields: [
            { name: 'username', label: 'Username', required: true, hint: '1 to 64 letters, digits, _, . and -, starting with a letter or a digit; unique whatever its case.' },
            { name: 'email', label: 'Email', type: 'email', hint: 'Optional; unique in this application. The user may sign in with it too.' },
            { name: 'name', label: 'Full name', hint: 'Optional.' },
            { name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'new-password', hint: 'At least 8 characters. Give it to the user by a safe way; they can change it.' },
          ],
          onSubmit: async (values) => {
            const body = { username: values.username ?? '', password: values.password ?? '', ...(values.email ? { email: values.email } : {}), ...(values.name ? { name: values.name } : {}) };
            const made = await call(api.POST('/{org}/{app}/users', { params: { path }, body }));
            const username = made.entities[0]?.username ?? body.username;
            await context.reload([h('p', { class: 'notice', role: 'status' }, `Created ${username}. `, h('a', { href: href(org, app, 'users', username) }, `Open ${username}`))]);
          },
        })),
    ],
  };
}

/**
 * One application user: who they are, deactivating or activating them, setting their password as
 * an admin (no current password needed), and the roles given to them.
 * @type {import('../app.js').PageFunction}
 */
export async function userPage(context) {
  const org = context.params.org ?? '';
  const app = context.params.app ?? '';
  const path = { org, app, user: context.params.user ?? '' };
  /** @param {string} [cursor] */
  const rolesPage = (cursor) => call(api.GET('/{org}/{app}/users/{user}/roles', { params: { path, query: cursor === undefined ? {} : { cursor } } }));
  const [found, roles] = await Promise.all([call(api.GET('/{org}/{app}/users/{user}', { params: { path } })), rolesPage()]);
  const user = found.entities[0];
  if (!user) throw refusal('The server answered no user.');
  // Actions name the user by uuid: the one name no rename changes.
  const self = { org, app, user: user.uuid };
  const passwordNotice = h('div', {});
  return {
    title: `User ${user.username}`,
    trail: trail(org, app, ['Users', href(org, app, 'users')], user.username),
    content: [
      applicationTabs(org, app, 'users'),
      section('Account',
        facts([
          ['Username', user.username],
          ['UUID', h('code', {}, user.uuid)],
          ['QuickBlox user id', String(user.id)],
          ['Email', user.email ?? '—'],
          ['Name', user.name ?? '—'],
          ['Active', activeBadge(user)],
          ['Created', when(user.created)],
          ['Changed', when(user.modified)],
        ]),
        h('div', { class: 'actions' },
          user.activated
            ? actionButton('Deactivate user', `Deactivate ${user.username}? Their tokens and sessions stop working at once, and they cannot sign in until activated again.`, async () => {
              await call(api.POST('/{org}/{app}/users/{user}/deactivate', { params: { path: self } }));
              await context.reload();
              announce(`${user.username} deactivated`);
            })
            : actionButton('Activate user', `Activate ${user.username}? They may sign in again; tokens ended by the deactivation stay ended.`, async () => {
              await call(api.POST('/{org}/{app}/users/{user}/activate', { params: { path: self } }));
              await context.reload();
              announce(`${user.username} activated`);
            }, 'secondary'))),
      section('Set the password',
        h('p', { class: 'muted' }, 'As an admin you set a new password without the current one. Every token and session of the user ends at once: they sign in again with the new password.'),
        passwordNotice,
        form({
          label: 'Set the password',
          submit: 'Set password',
          fields: [
            { name: 'newpassword', label: 'New password', type: 'password', required: true, autocomplete: 'new-password', hint: 'At least 8 characters.' },
            { name: 'again', label: 'New password again', type: 'password', required: true, autocomplete: 'new-password' },
          ],
          onSubmit: async (values, element) => {
            passwordNotice.replaceChildren();
            if (values.newpassword !== values.again) throw refusal('The two passwords differ: type the same new password twice.');
            await call(api.PUT('/{org}/{app}/users/{user}/password', { params: { path: self }, body: { newpassword: values.newpassword ?? '' } }));
            element.reset();
            passwordNotice.replaceChildren(h('p', { class: 'notice', role: 'status' }, `Password set. ${user.username}’s tokens and sessions have ended.`));
          },
        })),
      section('Roles',
        h('p', { class: 'muted' }, 'The roles given to this user directly; those of their groups and the default role apply too but are not listed. Roles are given on ', h('a', { href: href(org, app, 'roles') }, 'the roles page'), '.'),
        pagedTable(
          [
            { label: 'Role', cell: (r) => h('a', { href: href(org, app, 'roles', r.name) }, r.name) },
            { label: 'Title', cell: (r) => r.title },
          ],
          roles,
          rolesPage,
          { empty: 'No roles given to this user directly.', label: 'Roles of the user', more: 'More roles' },
        )),
    ],
  };
}
