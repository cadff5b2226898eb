// @ts-check
/**
 * What the pages of roles and groups share: a page size, the columns of a user, the other ends of a
 * link (a role's users, a group's roles…) and a holder's permissions.
 */
import { actionButton, FieldError, form, h, href, pagedTable, section, table } from '../ui.js';

/** @typedef {import('../../generated/openapi.js').components['schemas']['User']} User */

/** How many a list asks for at a time; a More button reads the next page with the API's `cursor`. */
export const pageSize = 100;

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
 * @param {{ entities: T[], cursor?: string }} spec.answer the first page
 * @param {(cursor: string) => Promise<{ entities: T[], cursor?: string }>} spec.next the page after `cursor`
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
    pagedTable(
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
      spec.answer,
      spec.next,
      { empty: spec.empty, label: spec.title, more: `More ${spec.title.toLowerCase()}` },
    ),
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
  const preview = h('output', { class: 'hint', 'aria-live': 'polite' });
  const grantForm = form({
    label: 'Grant a permission',
    submit: 'Grant permission',
    fields: [
      { name: 'operations', label: 'Operations', type: 'checkboxes', options: operations.map((o) => [o, o]), checkedValues: ['get'] },
      {
        name: 'permission',
        label: 'Path',
        required: true,
        placeholder: '/items/**',
        hint: 'Starts with /. * is one segment (a trailing /* also covers the collection itself), ** any depth, ${user} the signed-in user; several paths separated by commas. Example: get on /items/** lets them read the items collection and everything in it.',
      },
    ],
    onSubmit: async (values) => {
      // An empty list of operations would mean all of them to the API: ask instead.
      if (!values.operations) throw new FieldError('operations', 'Choose at least one operation.');
      // Granted, the page is drawn again from the server: a fresh, empty form.
      await spec.grant(`${values.operations}:${(values.permission ?? '').trim()}`);
    },
  });
  const pathInput = /** @type {HTMLInputElement} */ (grantForm.querySelector('input[name="permission"]'));
  const boxes = /** @type {HTMLInputElement[]} */ ([...grantForm.querySelectorAll('input[name="operations"]')]);
  const showPreview = () => {
    const chosen = boxes.filter((c) => c.checked).map((c) => c.value);
    preview.textContent = chosen.length && pathInput.value.trim() ? `Grants ${chosen.join(',')}:${pathInput.value.trim()}` : '';
  };
  grantForm.addEventListener('input', showPreview);
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

