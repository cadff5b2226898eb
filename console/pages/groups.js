// @ts-check
import { api, call } from '../api.js';
import { actionButton, applicationTabs, facts, form, h, href, pagedTable, refusal, section, trail, when } from '../ui.js';
import { linksSection, pageSize, permissionsSection, userColumns } from './sections.js';

/**
 * The application's groups, and the form that creates one.
 * @type {import('../app.js').PageFunction}
 */
export async function groupsPage(context) {
  const org = context.params.org ?? '';
  const app = context.params.app ?? '';
  const answer = await call(api.GET('/{org}/{app}/groups', { params: { path: { org, app }, query: { limit: pageSize } } }));
  return {
    title: `Groups of ${app}`,
    trail: trail(org, app, 'Groups'),
    content: [
      applicationTabs(org, app, 'groups'),
      section('Groups',
        h('p', { class: 'muted' }, 'A group’s members get its roles and its own permissions.'),
        pagedTable(
          [
            { label: 'Group', cell: (g) => h('a', { href: href(org, app, 'groups', g.path) }, g.path) },
            { label: 'Title', cell: (g) => g.title },
            { label: 'Created', cell: (g) => when(g.created) },
          ],
          answer,
          (cursor) => call(api.GET('/{org}/{app}/groups', { params: { path: { org, app }, query: { limit: pageSize, cursor } } })),
          { empty: 'No groups yet: create the first one below.', label: 'Groups', more: 'More groups' },
        )),
      section('Create a group',
        form({
          label: 'Create a group',
          submit: 'Create group',
          fields: [
            { name: 'group', label: 'Group name (path)', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}', hint: 'Letters, digits, _ . and -; stored in lower case.' },
            { name: 'title', label: 'Title (optional)', hint: 'A label for people; the name if left empty.' },
          ],
          onSubmit: async (values) => {
            const body = { path: values.group ?? '', ...(values.title ? { title: values.title } : {}) };
            const made = await call(api.POST('/{org}/{app}/groups', { params: { path: { org, app } }, body }));
            context.go(href(org, app, 'groups', made.entities[0]?.path ?? body.path.toLowerCase()));
          },
        })),
    ],
  };
}

/**
 * One group: its members, its roles, its own permissions, and deleting it.
 * @type {import('../app.js').PageFunction}
 */
export async function groupPage(context) {
  const org = context.params.org ?? '';
  const app = context.params.app ?? '';
  const group = context.params.group ?? '';
  const path = { org, app, group };
  const [found, users, roles, permissions] = await Promise.all([
    call(api.GET('/{org}/{app}/groups/{group}', { params: { path } })),
    call(api.GET('/{org}/{app}/groups/{group}/users', { params: { path, query: { limit: pageSize } } })),
    call(api.GET('/{org}/{app}/groups/{group}/roles', { params: { path, query: { limit: pageSize } } })),
    call(api.GET('/{org}/{app}/groups/{group}/permissions', { params: { path } })),
  ]);
  const entity = found.entities[0];
  if (!entity) throw refusal(`No group ${group}`);
  const name = entity.path;
  return {
    title: `Group ${name}`,
    trail: trail(org, app, ['Groups', href(org, app, 'groups')], name),
    content: [
      applicationTabs(org, app, 'groups'),
      section('About this group',
        facts([['Name (path)', name], ['Title', entity.title], ['UUID', h('code', {}, entity.uuid)], ['Created', when(entity.created)]])),
      linksSection({
        title: 'Members',
        columns: userColumns(org, app),
        answer: users,
        next: (cursor) => call(api.GET('/{org}/{app}/groups/{group}/users', { params: { path, query: { limit: pageSize, cursor } } })),
        empty: 'No members yet.',
        removeLabel: (u) => `Remove ${u.username} from ${name}`,
        remove: (u) => call(api.DELETE('/{org}/{app}/groups/{group}/users/{user}', { params: { path: { ...path, user: u.uuid } } })),
        form: 'Add a member',
        field: { name: 'user', label: 'Username', required: true, hint: 'An application user’s username, email or uuid.' },
        submit: 'Add member',
        add: (user) => call(api.POST('/{org}/{app}/groups/{group}/users/{user}', { params: { path: { ...path, user } } })),
        reload: context.reload,
      }),
      linksSection({
        title: 'Roles',
        intro: 'Every member has the permissions of these roles.',
        columns: [
          { label: 'Role', cell: (r) => h('a', { href: href(org, app, 'roles', r.name) }, r.name) },
          { label: 'Title', cell: (r) => r.title },
        ],
        answer: roles,
        next: (cursor) => call(api.GET('/{org}/{app}/groups/{group}/roles', { params: { path, query: { limit: pageSize, cursor } } })),
        empty: 'This group has no roles.',
        removeLabel: (r) => `Remove role ${r.name} from ${name}`,
        remove: (r) => call(api.DELETE('/{org}/{app}/groups/{group}/roles/{role}', { params: { path: { ...path, role: r.uuid } } })),
        form: 'Give this group a role',
        field: { name: 'role', label: 'Role', required: true, hint: 'The role’s name or uuid.' },
        submit: 'Add role',
        add: (role) => call(api.POST('/{org}/{app}/groups/{group}/roles/{role}', { params: { path: { ...path, role } } })),
        reload: context.reload,
      }),
      permissionsSection({
        permissions: permissions.data,
        holder: 'this group',
        grant: async (permission) => {
          await call(api.POST('/{org}/{app}/groups/{group}/permissions', { params: { path }, body: { permission } }));
          await context.reload();
        },
        revoke: async (permission) => {
          await call(api.DELETE('/{org}/{app}/groups/{group}/permissions', { params: { path, query: { permission } } }));
          await context.reload();
        },
      }),
      section('Delete this group',
        h('p', { class: 'muted' }, 'Its members lose its roles and permissions at once; the users themselves stay.'),
        actionButton('Delete group', `Delete the group ${name}? Its members lose its roles and permissions at once.`, async () => {
          await call(api.DELETE('/{org}/{app}/groups/{group}', { params: { path } }));
          context.go(href(org, app, 'groups'));
        })),
    ],
  };
}
