// @ts-check
import { api, call } from '../api.js';
import { actionButton, applicationTabs, facts, form, h, href, refusal, section, table, trail, when } from '../ui.js';

/** @typedef {import('../../generated/openapi.js').components['schemas']['User']} User */

/** The most a list asks for: the API's page limit. Roles, groups and their members rarely reach it. */
export const pageLimit = 1000;

/** What each built-in role means (README, "Who may do what"). */
const builtInRoles = /** @type {Record<string, string>} */ ({
  default: 'Every signed-in user of the application has this role’s permissions, whether or not they are listed as its users.',
  guest: 'Callers who are not signed in get this role’s permissions (and nothing at all if it is deleted).',
  admin: 'Built in for Usergrid’s sake: it gives nothing by itself.',
});

/** A note under a list that stopped at the page limit. @param {{ cursor?: string }} answer */
export function moreNote(answer) {
  return answer.cursor ? h('p', { class: 'muted' }, `Only the first ${pageLimit} are shown.`) : null;
}

/** The columns that show an application user. @param {string} org @param {string} app @returns {import('../ui.js').Column<User>[]} */
export function userColumns(org, app) {
  return [
    { label: 'Username', cell: (u) => h('a', { href: href(org, app, 'users', u.username) }, u.username) },
    { label: 'Name', cell: (u) => u.name || '—' },
    { label: 'Email', cell: (u) => u.email || '—' },
  ];
}

/**
 * The other ends of one kind of link (a role's users, a group's roles…): a table with a Remove
 * button each, and a form that adds one by name.
 * @template T
 * @param {object} spec
 * @param {string} spec.title
 * @param {string} [spec.intro]
 * @param {import('../ui.js').Column<T>[]} spec.columns
 * @param {{ entities: T[], cursor?: string }} spec.answer
 * @param {string} spec.empty
 * @param {(row: T) => string} spec.removeLabel the Remove button's accessible name
 * @param {(row: T) => Promise<unknown>} spec.remove
 * @param {string} spec.form the add form's accessible name
 * @param {import('../ui.js').FieldSpec} spec.field
 * @param {string} spec.submit
 * @param {(name: string) => Promise<unknown>} spec.add
 * @param {() => Promise<unknown>} spec.reload
 */
export function linksSection(spec) {
  return section(spec.title,
    spec.intro ? h('p', { class: 'muted' }, spec.intro) : null,
    table(
      [
        ...spec.columns,
        {
          label: 'Actions',
          className: 'actions-cell',
          cell: (row) => actionButton('Remove', '', async () => {
            await spec.remove(row);
            await spec.reload();
          }, 'danger', spec.removeLabel(row)),
        },
      ],
      spec.answer.entities,
      spec.empty,
      spec.title,
    ),
    moreNote(spec.answer),
    form({
      label: spec.form,
      layout: 'inline',
      submit: spec.submit,
      fields: [spec.field],
      onSubmit: async (values) => {
        await spec.add((values[spec.field.name] ?? '').trim());
        await spec.reload();
      },
    }));
}

/**
 * The application's roles, and the form that creates one.
 * @type {import('../app.js').PageFunction}
 */
export async function rolesPage(context) {
  const org = context.params.org ?? '';
  const app = context.params.app ?? '';
  const answer = await call(api.GET('/{org}/{app}/roles', { params: { path: { org, app }, query: { limit: pageLimit } } }));
  return {
    title: `Roles of ${app}`,
    trail: trail(org, app, 'Roles'),
    content: [
      applicationTabs(org, app, 'roles'),
      section('Roles',
        h('p', { class: 'muted' }, 'A role is a set of path permissions (', h('code', {}, 'get,put,post,delete:/path'), ') given to users and groups. Every signed-in user also has the ', h('strong', {}, 'default'), ' role, and callers who are not signed in the ', h('strong', {}, 'guest'), ' role.'),
        table(
          [
            { label: 'Name', cell: (r) => h('a', { href: href(org, app, 'roles', r.name) }, r.name) },
            { label: 'Title', cell: (r) => r.title },
            { label: 'Who has it', cell: (r) => builtInRoles[r.name] ?? 'Its users, and the members of its groups.' },
            { label: 'Created', cell: (r) => when(r.created) },
          ],
          answer.entities,
          'No roles: signed-in users and guests may do nothing here until a default or guest role is created.',
          'Roles',
        ),
        moreNote(answer)),
      section('Create a role',
        form({
          label: 'Create a role',
          submit: 'Create role',
          fields: [
            { name: 'role', label: 'Role name', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}', hint: 'Letters, digits, _ . and -; stored in lower case. Naming it default or guest gives its permissions to every user or every guest.' },
            { name: 'title', label: 'Title (optional)', hint: 'A label for people; the name if left empty.' },
          ],
          onSubmit: async (values) => {
            const body = { name: values.role ?? '', ...(values.title ? { title: values.title } : {}) };
            const made = await call(api.POST('/{org}/{app}/roles', { params: { path: { org, app } }, body }));
            const name = made.entities[0]?.name ?? body.name.toLowerCase();
            context.go(href(org, app, 'roles', name));
          },
        }),
        h('p', { class: 'muted' }, 'Usergrid’s role inactivity is not supported: limit idle tokens with the application’s token lifetime instead.')),
    ],
  };
}

/** Splits a normalized permission (`get,put:/a,/b`) into its operations and paths. @param {string} permission */
function parts(permission) {
  const colon = permission.indexOf(':');
  return colon < 0 ? { operations: permission, paths: '' } : { operations: permission.slice(0, colon), paths: permission.slice(colon + 1) };
}

const operations = /** @type {const} */ (['get', 'put', 'post', 'delete']);

/**
 * The permissions of a role or a group: a table with a Revoke button each, and the form that
 * grants one (the operations as checkboxes, the path with its syntax).
 * @param {object} spec
 * @param {string[]} spec.permissions
 * @param {(permission: string) => Promise<void>} spec.grant
 * @param {(permission: string) => Promise<void>} spec.revoke
 * @param {string} spec.holder who holds them, for the words ("this role")
 */
export function permissionsSection(spec) {
  const checkboxes = operations.map((operation) => h('input', { type: 'checkbox', name: operation, value: operation, checked: operation === 'get' }));
  const preview = h('output', { class: 'hint', 'aria-live': 'polite' });
  const grantForm = form({
    label: 'Grant a permission',
    submit: 'Grant permission',
    fields: [
      {
        name: 'permission',
        label: 'Path',
        required: true,
        placeholder: '/items/**',
        hint: 'Starts with /. * is one segment (a trailing /* also covers the collection itself), ** any depth, ${user} the signed-in user; several paths separated by commas. Example: get on /items/** lets them read the items collection and everything in it.',
      },
    ],
    onSubmit: async (values) => {
      const chosen = checkboxes.filter((c) => c.checked).map((c) => c.value);
      // An empty list of operations would mean all of them to the API: ask instead.
      if (chosen.length === 0) throw refusal('Choose at least one operation.');
      // Granted, the page is drawn again from the server: a fresh, empty form.
      await spec.grant(`${chosen.join(',')}:${(values.permission ?? '').trim()}`);
    },
  });
  const pathInput = /** @type {HTMLInputElement} */ (grantForm.querySelector('input[name="permission"]'));
  const showPreview = () => {
    const chosen = checkboxes.filter((c) => c.checked).map((c) => c.value);
    preview.textContent = chosen.length && pathInput.value.trim() ? `Grants ${chosen.join(',')}:${pathInput.value.trim()}` : '';
  };
  grantForm.addEventListener('input', showPreview);
  grantForm.prepend(h('fieldset', {},
    h('legend', {}, 'Operations'),
    h('div', { class: 'actions' }, checkboxes.map((c) => h('label', {}, c, ` ${c.value}`)))));
  pathInput.closest('.field')?.append(preview);
  return section('Permissions',
    h('p', { class: 'muted' }, 'Each permission is written ', h('code', {}, 'operations:path'), ', e.g. ', h('code', {}, 'get,put,post,delete:/items/**'), `. There are no deny rules: what ${spec.holder} grants adds to what users have from elsewhere.`),
    table(
      [
        { label: 'Operations', cell: (p) => parts(p).operations },
        { label: 'Path', cell: (p) => h('code', {}, parts(p).paths) },
        { label: 'Actions', className: 'actions-cell', cell: (p) => actionButton('Revoke', '', () => spec.revoke(p), 'danger', `Revoke ${p}`) },
      ],
      spec.permissions,
      `No permissions: ${spec.holder} grants nothing yet.`,
      'Permissions',
    ),
    grantForm);
}

/**
 * One role: what it grants, who has it (users, groups), and deleting it.
 * @type {import('../app.js').PageFunction}
 */
export async function rolePage(context) {
  const org = context.params.org ?? '';
  const app = context.params.app ?? '';
  const role = context.params.role ?? '';
  const path = { org, app, role };
  const [found, permissions, users, groups] = await Promise.all([
    call(api.GET('/{org}/{app}/roles/{role}', { params: { path } })),
    call(api.GET('/{org}/{app}/roles/{role}/permissions', { params: { path } })),
    call(api.GET('/{org}/{app}/roles/{role}/users', { params: { path, query: { limit: pageLimit } } })),
    call(api.GET('/{org}/{app}/roles/{role}/groups', { params: { path, query: { limit: pageLimit } } })),
  ]);
  const entity = found.entities[0];
  if (!entity) throw refusal(`No role ${role}`);
  const name = entity.name;
  const builtIn = builtInRoles[name];
  return {
    title: `Role ${name}`,
    trail: trail(org, app, ['Roles', href(org, app, 'roles')], name),
    content: [
      applicationTabs(org, app, 'roles'),
      section('About this role',
        facts([['Name', name], ['Title', entity.title], ['UUID', h('code', {}, entity.uuid)], ['Created', when(entity.created)]]),
        builtIn ? h('p', { class: 'notice' }, builtIn) : null),
      permissionsSection({
        permissions: permissions.data,
        holder: 'this role',
        grant: async (permission) => {
          await call(api.POST('/{org}/{app}/roles/{role}/permissions', { params: { path }, body: { permission } }));
          await context.reload();
        },
        revoke: async (permission) => {
          await call(api.DELETE('/{org}/{app}/roles/{role}/permissions', { params: { path, query: { permission } } }));
          await context.reload();
        },
      }),
      linksSection({
        title: 'Users',
        columns: userColumns(org, app),
        answer: users,
        empty: name === 'default' ? 'No users listed: every signed-in user has this role anyway.' : 'No users have this role.',
        removeLabel: (u) => `Remove ${u.username} from ${name}`,
        remove: (u) => call(api.DELETE('/{org}/{app}/roles/{role}/users/{user}', { params: { path: { ...path, user: u.uuid } } })),
        form: 'Give a user this role',
        field: { name: 'user', label: 'Username', required: true, hint: 'An application user’s username, email or uuid.' },
        submit: 'Add user',
        add: (user) => call(api.POST('/{org}/{app}/roles/{role}/users/{user}', { params: { path: { ...path, user } } })),
        reload: context.reload,
      }),
      linksSection({
        title: 'Groups',
        intro: 'Every member of a group given this role has its permissions.',
        columns: [
          { label: 'Group', cell: (g) => h('a', { href: href(org, app, 'groups', g.path) }, g.path) },
          { label: 'Title', cell: (g) => g.title },
        ],
        answer: groups,
        empty: 'No groups have this role.',
        removeLabel: (g) => `Remove group ${g.path} from ${name}`,
        remove: (g) => call(api.DELETE('/{org}/{app}/roles/{role}/groups/{group}', { params: { path: { ...path, group: g.uuid } } })),
        form: 'Give a group this role',
        field: { name: 'group', label: 'Group', required: true, hint: 'The group’s name (path) or uuid.' },
        submit: 'Add group',
        add: (group) => call(api.POST('/{org}/{app}/roles/{role}/groups/{group}', { params: { path: { ...path, group } } })),
        reload: context.reload,
      }),
      section('Delete this role',
        h('p', { class: 'muted' }, deleteWarning(name)),
        actionButton('Delete role', `Delete the role ${name}? ${deleteWarning(name)}`, async () => {
          await call(api.DELETE('/{org}/{app}/roles/{role}', { params: { path } }));
          context.go(href(org, app, 'roles'));
        })),
    ],
  };
}

/** What deleting a role does (openapi.yaml, deleteRole). @param {string} name */
function deleteWarning(name) {
  if (name === 'default') return 'Without the default role, signed-in users get only what their own roles, groups and permissions give them. Effective at once.';
  if (name === 'guest') return 'Without the guest role, callers who are not signed in get 401 everywhere in the application (sign-up included). Effective at once.';
  return 'Its permissions go with it, and its users and groups lose it at once.';
}
