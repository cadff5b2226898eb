// @ts-check
import { api, ApiError, call } from '../api.js';
import { announce, form, h, href, section, table, trail, when } from '../ui.js';

/** @typedef {import('../../generated/openapi.js').components['schemas']['AuditEvent']} AuditEvent */
/** @typedef {NonNullable<AuditEvent['actor']>} AuditActor */
/** @typedef {NonNullable<import('../../generated/openapi.js').paths['/management/orgs/{org}/audit-events']['get']['parameters']['query']>} AuditQuery */

/** Every kind the spec enumerates, in words (a Record, so the typecheck fails when the spec adds one). @type {Record<AuditEvent['kind'], string>} */
const kindLabels = {
  'auth.failed': 'Sign-in failed',
  'auth.throttled': 'Locked out after failed sign-ins',
  'token.revoked': 'Token revoked',
  'user-tokens.revoked': 'All of a user’s tokens revoked',
  'token-family.revoked': 'Token family revoked',
  'credentials.rotated': 'Secret rotated',
  'permission.granted': 'Permission granted',
  'permission.revoked': 'Permission revoked',
  'role.created': 'Role created',
  'role.deleted': 'Role deleted',
  'role-link.added': 'Role given',
  'role-link.removed': 'Role taken away',
  'group-user.added': 'User added to a group',
  'group-user.removed': 'User removed from a group',
  'api-token.created': 'API token created',
  'api-token.revoked': 'API token revoked',
  'oauth-client.registered': 'OAuth client registered',
  'oauth-client.deleted': 'OAuth client deleted',
  'organization-admin.added': 'Admin added',
  'organization-admin.removed': 'Admin removed',
  'user.activated': 'User activated',
  'user.deactivated': 'User deactivated',
  'user.password-changed': 'User’s password changed',
  'admin-user.password-changed': 'Admin’s password changed',
};

/** Who acted, by the actor's type. @type {Record<AuditActor['type'], string>} */
const actorLabels = {
  superuser: 'Superuser',
  admin: 'Admin',
  'organization-client': 'Organization client',
  'application-client': 'Application client',
  user: 'User',
  'api-token': 'API token',
  'oauth-client': 'OAuth client',
  'quickblox-session': 'QuickBlox session',
  anonymous: 'Anonymous',
};

/** Events a page holds (the API's default is 10). */
const pageSize = 25;
/** A `datetime-local` input names a minute: "to" takes all of it (`until` is inclusive). */
const minuteMs = 60_000;

/** @param {AuditEvent['kind']} kind */
const kindLabel = (kind) => kindLabels[kind] ?? kind;

/** @param {AuditEvent['actor']} actor */
function describeActor(actor) {
  if (actor === null) return h('span', { class: 'muted' }, 'Not signed in');
  const label = actorLabels[actor.type] ?? actor.type;
  const who = actor.username ?? actor.client_id ?? (actor.token_id === undefined ? undefined : `#${actor.token_id}`);
  return h('span', {}, label, who === undefined ? null : [' ', h('strong', {}, who)]);
}

/** @param {AuditEvent} event */
function describeTime(event) {
  if (event.count <= 1) return when(event.time);
  const span = event.last_time > event.time ? [' to ', when(event.last_time)] : [];
  return h('span', {}, when(event.time), span, h('br'), h('span', { class: 'badge' }, `${event.count} times`));
}

/** @param {unknown} value */
const asText = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

/** @param {AuditEvent} event */
function describeSubject(event) {
  const parts = [];
  if (event.subject !== null) parts.push(h('code', {}, event.subject));
  if (event.application !== null) parts.push(h('span', { class: 'muted' }, ` in ${event.application}`));
  return parts.length ? h('span', {}, parts) : '—';
}

/** @param {AuditEvent} event */
function describeDetails(event) {
  const entries = Object.entries(event.details);
  if (!entries.length) return '—';
  return h('ul', {}, entries.map(([name, value]) => h('li', {}, `${name}: ${asText(value)}`)));
}

/** ms since the epoch → the local `YYYY-MM-DDTHH:MM` a `datetime-local` input shows. @param {number | undefined} ms */
function localMinute(ms) {
  if (ms === undefined) return '';
  const date = new Date(ms);
  const two = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** A `datetime-local` value (local time) → ms since the epoch, or undefined. @param {string | undefined} value */
function msOf(value) {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** A non-negative whole number from the address, or undefined. @param {string | null} value */
function wholeNumber(value) {
  return value !== null && /^\d{1,16}$/.test(value) ? Number(value) : undefined;
}

/**
 * The filters of the address (`?kind=…&since=…&until=…`, the API's own names and units), so that a
 * filtered view can be bookmarked.
 * @param {URLSearchParams} query
 */
function filtersOf(query) {
  const kinds = query.getAll('kind').flatMap((kind) => kind.split(',')).map((kind) => kind.trim()).filter(Boolean);
  return { kinds, since: wholeNumber(query.get('since')), until: wholeNumber(query.get('until')) };
}

/**
 * All kinds, each kind, and the address's own list when it names several (`?kind=a,b`, the API allows it).
 * @param {string[]} chosen
 * @returns {Array<[string, string]>}
 */
function kindOptions(chosen) {
  /** @type {Array<[string, string]>} */
  const options = [['', 'All kinds'], ...Object.entries(kindLabels).map(([kind, label]) => /** @type {[string, string]} */ ([kind, `${label} (${kind})`]))];
  // Several kinds (a bookmarked address) are offered as one choice only when each is a kind: the
  // address is anyone's to write, and its words must not become the page's.
  if (chosen.length > 1 && chosen.every((kind) => Object.hasOwn(kindLabels, kind))) options.push([chosen.join(','), `These kinds: ${chosen.join(', ')}`]);
  return options;
}

/**
 * @param {string} org
 * @param {{ kinds: string[], since?: number, until?: number }} filters
 */
function addressOf(org, filters) {
  const query = new URLSearchParams();
  for (const kind of filters.kinds) query.append('kind', kind);
  if (filters.since !== undefined) query.set('since', String(filters.since));
  if (filters.until !== undefined) query.set('until', String(filters.until));
  const search = query.toString();
  return `${href(org, undefined, 'audit-events')}${search ? `?${search}` : ''}`;
}

/**
 * The organization's audit events, newest first: filtered by kind and time (kept in the address),
 * a page at a time.
 * @type {import('../app.js').PageFunction}
 */
export async function auditEventsPage(context) {
  const org = context.params.org ?? '';
  const filters = filtersOf(context.query);
  /** @type {AuditQuery} */
  const query = {
    limit: pageSize,
    ...(filters.kinds.length ? { kind: filters.kinds } : {}),
    ...(filters.since !== undefined ? { since: filters.since } : {}),
    ...(filters.until !== undefined ? { until: filters.until } : {}),
  };
  /** @param {string | undefined} cursor */
  const fetchPage = (cursor) => call(api.GET('/management/orgs/{org}/audit-events', { params: { path: { org }, query: { ...query, ...(cursor ? { cursor } : {}) } } }));

  const filterForm = form({
    label: 'Filter the events',
    layout: 'inline',
    submit: 'Show events',
    fields: [
      { name: 'kind', label: 'Kind', type: 'select', value: filters.kinds.join(','), options: kindOptions(filters.kinds), hint: 'Who was locked out: “Locked out after failed sign-ins”.' },
      { name: 'from', label: 'From', type: 'datetime-local', value: localMinute(filters.since), hint: 'Your local time.' },
      { name: 'to', label: 'To', type: 'datetime-local', value: localMinute(filters.until), hint: 'Up to the end of that minute.' },
    ],
    onSubmit: async (values) => {
      const since = msOf(values.from);
      const to = msOf(values.to);
      context.go(addressOf(org, { kinds: values.kind ? [values.kind] : [], since, until: to === undefined ? undefined : to + minuteMs - 1 }));
    },
  });
  const filtered = filters.kinds.length > 0 || filters.since !== undefined || filters.until !== undefined;
  const filterSection = section('Filter',
    filterForm,
    filtered ? h('p', {}, h('a', { href: addressOf(org, { kinds: [] }) }, 'Show all events')) : null);
  const title = `Audit events of ${org}`;
  const steps = trail(org, undefined, 'Audit events');

  let first;
  try {
    first = await fetchPage(undefined);
  } catch (error) {
    // A filter the API refuses (a bookmarked kind it no longer knows): its words, and the form to fix it.
    if (error instanceof ApiError && error.status === 400) {
      return { title, trail: steps, content: [filterSection, h('p', { class: 'alert', role: 'alert' }, error.message)] };
    }
    throw error;
  }

  /** @type {AuditEvent[]} */
  const events = [...first.data];
  let cursor = first.cursor;
  const listing = h('div', {});
  const more = h('div', { class: 'actions' });
  const draw = () => {
    // Each cell holds one element: on a phone a cell is a flex row, which would set its pieces side by side.
    listing.replaceChildren(table(
      [
        { label: 'When', cell: describeTime },
        { label: 'What', cell: (e) => h('span', {}, kindLabel(e.kind), h('br'), h('code', { class: 'muted' }, e.kind)) },
        { label: 'Who', cell: (e) => describeActor(e.actor) },
        { label: 'Concerns', cell: describeSubject },
        { label: 'From address', cell: (e) => e.source_address ?? '—' },
        { label: 'Details', cell: describeDetails },
      ],
      events,
      filtered ? 'No events match these filters.' : 'No events yet.',
      'Audit events',
    ));
    if (cursor !== undefined) more.replaceChildren(...moreButton());
    else more.replaceChildren(...(events.length ? [h('p', { class: 'muted' }, `All ${events.length} events shown.`)] : []));
  };
  const moreButton = () => {
    const error = h('span', { class: 'form-error', role: 'alert' });
    const button = h('button', {
      type: 'button',
      class: 'secondary',
      onclick: async () => {
        button.disabled = true;
        error.textContent = '';
        try {
          const next = await fetchPage(cursor);
          events.push(...next.data);
          cursor = next.cursor;
          draw();
          announce(`${next.data.length} more events`);
          // The button was drawn anew (or replaced by "All … shown"): the keyboard stays there.
          const landing = /** @type {HTMLElement | null} */ (more.firstElementChild);
          landing?.setAttribute('tabindex', landing instanceof HTMLButtonElement ? '0' : '-1');
          landing?.focus();
        } catch (failure) {
          error.textContent = failure instanceof Error ? failure.message : String(failure);
          button.disabled = false;
        }
      },
    }, 'More');
    return [button, error];
  };
  draw();

  return {
    title,
    trail: steps,
    content: [
      filterSection,
      section('Events',
        h('p', { class: 'muted' }, 'Newest first. Failed sign-ins and lockouts are counted per account and 15 minutes. No event holds a secret.'),
        listing,
        more),
    ],
  };
}
