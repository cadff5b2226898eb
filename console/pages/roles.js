// @ts-check
import { api, call } from '../api.js';
import { actionButton, applicationTabs, facts, form, h, href, pagedTable, refusal, section, trail, when } from '../ui.js';
import { linksSection, pageSize, permissionsSection, userColumns } from './sections.js';

/** What each built-in role means (README, "Who may do what"). */
const builtInRoles = /** @type {Record<string, string>} */ ({
  default: 'Every signed-in user of the application has this role’s permissions, whether or not they are listed as its users.',
  guest: 'Callers who are not signed in get this role’s permissions (and nothing at all if it is deleted).',
  admin: 'Built in for Usergrid’s sake: it gives nothing by itself.',
});

/**
 * The application's roles, and the form that creates one.
 * @type {import('../app.js').PageFunction}
 */
export async function rolesPage(context) {
  const org = context.params.org ?? '';
  const app = context.params.app ?? '';
  const answer = await call(api.GET('/{org}/{app}/roles', { params: { path: { org, app }, query: { limit: pageSize } } }));
  return {
    title: `Roles of ${app}`,
    trail: trail(org, app, 'Roles'),
    content: [
      applicationTabs(org, app, 'roles'),
      section('Roles',
        h('p', { class: 'muted' }, 'A role is a set of path permissions (', h('code', {}, 'get,put,post,delete:/path'), ') given to users and groups. Every signed-in user also has the ', h('strong', {}, 'default'), ' role, and callers who are not signed in the ', h('strong', {}, 'guest'), ' role.'),
        pagedTable(
          [
            { label: 'Name', cell: (r) => h('a', { href: href(org, app, 'roles', r.name) }, r.name) },
            { label: 'Title', cell: (r) => r.title },
            { label: 'Who has it', cell: (r) => builtInRoles[r.name] ?? 'Its users, and the members of its groups.' },
            { label: 'Created', cell: (r) => when(r.created) },
          ],
          answer,
          (cursor) => call(api.GET('/{org}/{app}/roles', { params: { path: { org, app }, query: { limit: pageSize, cursor } } })),
          { empty: 'No roles: signed-in users and guests may do nothing here until a default or guest role is created.', label: 'Roles', more: 'More roles' },
        )),
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
    call(api.GET('/{org}/{app}/roles/{role}/users', { params: { path, query: { limit: pageSize } } })),
    call(api.GET('/{org}/{app}/roles/{role}/groups', { params: { path, query: { limit: pageSize } } })),
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
        next: (cursor) => call(api.GET('/{org}/{app}/roles/{role}/users', { params: { path, query: { limit: pageSize, cursor } } })),
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
        next: (cursor) => call(api.GET('/{org}/{app}/roles/{role}/groups', { params: { path, query: { limit: pageSize, cursor } } })),
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
