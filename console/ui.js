// @ts-check
/**
 * The console's building blocks. The DOM is built node by node (never from HTML strings: the
 * Content-Security-Policy's Trusted Types refuse them), so text from the server is always text.
 */
import { ApiError } from './api.js';

/**
 * @typedef {string | number | Node | null | undefined | false} Leaf
 * @typedef {Leaf | Leaf[] | Array<Leaf | Leaf[]>} Child
 * @typedef {Record<string, string | number | boolean | null | undefined | ((event: any) => unknown)>} Props
 */

/**
 * An element: attributes from `props` (`on…` functions become listeners; `true` a bare attribute;
 * `false`, null and undefined nothing), then its children (strings as text).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props} [props]
 * @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(key, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(key, String(value));
  }
  append(element, children);
  return element;
}

/** Appends children (strings as text; null, undefined and false skipped). @param {Node} parent @param {Child[]} children */
export function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** A request a page refuses before sending it: shown like the API's refusals, never logged as a fault. */
export class Refusal extends Error {}

/**
 * A refusal that belongs next to one field, whose name its words do not say ("The redirect URI …
 * must be https" is the redirect URIs field's).
 */
export class FieldError extends Refusal {
  /** @param {string} field the field's name @param {string} message */
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

/** @param {string} message what is wrong, in words a person understands */
export function refusal(message) {
  return new Refusal(message);
}

/** Whether an error is a refusal (the API's, or the page's own) rather than a fault of the page. @param {unknown} error */
export function isRefusal(error) {
  return error instanceof ApiError || error instanceof Refusal;
}

/** Says `text` to screen readers (the page's live region). @param {string} text */
export function announce(text) {
  const region = document.getElementById('announce');
  if (region) region.textContent = text;
}

/** A card with a heading. @param {string} title @param {Child[]} children */
export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

/** @param {number | null | undefined} ms @returns {string} */
export function when(ms) {
  if (ms === null || ms === undefined) return '—';
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '—' : date.toLocaleString();
}

/**
 * @typedef {object} FieldSpec
 * @property {string} name
 * @property {string} label
 * @property {string} [type] an input's type, or 'select', 'textarea', 'checkbox', or 'checkboxes' (a
 *   group: its value is the checked options' values joined by commas)
 * @property {string} [value]
 * @property {boolean} [checked]
 * @property {string} [hint]
 * @property {boolean} [required]
 * @property {string} [autocomplete]
 * @property {string} [placeholder]
 * @property {string} [pattern]
 * @property {number} [min]
 * @property {number} [max]
 * @property {Array<[string, string]>} [options] for 'select' and 'checkboxes': value and label
 * @property {string[]} [checkedValues] for 'checkboxes': the options checked at first
 */

let fieldCount = 0;

/**
 * A labelled field with its hint and a place for its error.
 * @param {FieldSpec} spec
 */
export function field(spec) {
  const id = `f${++fieldCount}-${spec.name}`;
  const hintId = spec.hint ? `${id}-hint` : undefined;
  const errorId = `${id}-error`;
  const described = [hintId, errorId].filter(Boolean).join(' ');
  if (spec.type === 'checkboxes') return checkboxGroup(spec, id, described, hintId, errorId);
  /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} */
  let input;
  const common = { id, name: spec.name, required: spec.required, 'aria-describedby': described, placeholder: spec.placeholder };
  if (spec.type === 'select') {
    input = h('select', common, (spec.options ?? []).map(([value, label]) => h('option', { value, selected: value === spec.value }, label)));
  } else if (spec.type === 'textarea') {
    input = h('textarea', common);
    input.value = spec.value ?? '';
  } else {
    input = h('input', { ...common, type: spec.type ?? 'text', autocomplete: spec.autocomplete ?? 'off', pattern: spec.pattern, min: spec.min, max: spec.max, checked: spec.checked });
    if (spec.value !== undefined) input.value = spec.value;
  }
  const error = h('p', { class: 'error', id: errorId });
  const element = h('div', { class: 'field' }, h('label', { for: id }, spec.label), input, spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null, error);
  return { element, input, error, name: spec.name, value: undefined };
}

/**
 * A group of checkboxes in a fieldset: its legend names it, its error and hint are the group's.
 * `input` is the first box (where the keyboard goes for the group's error); `value()` the checked
 * values joined by commas.
 * @param {FieldSpec} spec @param {string} id @param {string} described
 * @param {string | undefined} hintId @param {string} errorId
 */
function checkboxGroup(spec, id, described, hintId, errorId) {
  const boxes = (spec.options ?? []).map(([value, label], i) => {
    const box = h('input', { type: 'checkbox', id: `${id}-${i}`, name: spec.name, value, checked: (spec.checkedValues ?? []).includes(value) });
    return { box, element: h('label', { for: `${id}-${i}` }, box, ` ${label}`) };
  });
  const error = h('p', { class: 'error', id: errorId });
  const element = h('fieldset', { class: 'field', 'aria-describedby': described },
    h('legend', {}, spec.label),
    h('div', { class: 'actions' }, boxes.map((b) => b.element)),
    spec.hint ? h('p', { class: 'hint', id: hintId }, spec.hint) : null,
    error);
  const first = boxes[0]?.box ?? h('input', { type: 'checkbox', name: spec.name });
  return { element, input: first, error, name: spec.name, value: () => boxes.filter((b) => b.box.checked).map((b) => b.box.value).join(',') };
}

/**
 * @typedef {object} FormSpec
 * @property {FieldSpec[]} fields
 * @property {string} submit the button's words
 * @property {(values: Record<string, string>, form: HTMLFormElement) => Promise<void>} onSubmit
 * @property {'stack' | 'inline'} [layout]
 * @property {string} [label] the form's accessible name
 * @property {boolean} [errorsAtFields] false: every error goes next to the button (a refused
 *   sign-in names the username and the password, and is the fault of neither alone)
 */

/**
 * A form whose submission waits for `onSubmit`, button disabled meanwhile; the API's error is shown
 * next to the field it names, else next to the button, in the server's words.
 * @param {FormSpec} spec
 */
export function form(spec) {
  const fields = spec.fields.map(field);
  const button = h('button', { type: 'submit' }, spec.submit);
  const formError = h('p', { class: 'form-error', role: 'alert' });
  const element = h('form', { class: spec.layout ?? 'stack', 'aria-label': spec.label }, fields.map((f) => f.element), h('div', { class: 'actions' }, button), formError);
  element.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of fields) {
      f.error.textContent = '';
      f.input.removeAttribute('aria-invalid');
    }
    formError.textContent = '';
    /** @type {Record<string, string>} */
    const values = {};
    for (const f of fields) {
      values[f.name] = f.value ? f.value() : f.input instanceof HTMLInputElement && f.input.type === 'checkbox' ? String(f.input.checked) : f.input.value;
    }
    button.disabled = true;
    const words = button.textContent;
    button.textContent = `${words}…`;
    try {
      await spec.onSubmit(values, element);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // Next to the field the API's words name first ("An organization with that name…" is the
      // organization's, not the name's), else next to the button.
      const culprit = error instanceof FieldError ? fields.find((f) => f.name === error.field) : spec.errorsAtFields === false ? undefined : firstNamed(fields, message);
      if (culprit) {
        culprit.error.textContent = message;
        culprit.input.setAttribute('aria-invalid', 'true');
        culprit.input.focus();
      } else {
        formError.textContent = message;
      }
      if (!isRefusal(error)) console.error(error);
    } finally {
      button.disabled = false;
      button.textContent = words;
    }
  });
  return element;
}

/**
 * The field whose name the message mentions first, as a word.
 * @template {{ name: string }} F
 * @param {F[]} fields @param {string} message
 * @returns {F | undefined}
 */
function firstNamed(fields, message) {
  let best;
  let bestAt = Infinity;
  for (const f of fields) {
    const at = message.search(new RegExp(`(^|[^a-z_])${f.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^a-z_]|$)`, 'i'));
    if (at >= 0 && at < bestAt) {
      best = f;
      bestAt = at;
    }
  }
  return best;
}

/**
 * A button that asks first (for what cannot be undone), then runs `action`; its error shows beside it.
 * @param {string} words
 * @param {string} question
 * @param {() => Promise<void>} action
 * @param {string} [className]
 * @param {string} [ariaLabel] what the button acts on, when its words alone do not say ("Revoke get:/items/**")
 */
export function actionButton(words, question, action, className = 'danger', ariaLabel = undefined) {
  const error = h('span', { class: 'form-error', role: 'alert' });
  const button = h('button', {
    type: 'button',
    class: className,
    'aria-label': ariaLabel,
    onclick: async () => {
      if (question && !window.confirm(question)) return;
      error.textContent = '';
      button.disabled = true;
      try {
        await action();
      } catch (failure) {
        error.textContent = failure instanceof Error ? failure.message : String(failure);
        if (!isRefusal(failure)) console.error(failure);
      } finally {
        button.disabled = false;
      }
    },
  }, words);
  return h('span', { class: 'actions' }, button, error);
}

/**
 * @template T
 * @typedef {object} Column
 * @property {string} label
 * @property {(row: T) => Child} cell
 * @property {string} [className]
 */

/**
 * A table (one card per row on a phone), or a sentence when there is nothing to show.
 * @template T
 * @param {Column<T>[]} columns
 * @param {T[]} rows
 * @param {string} empty what to say when there are no rows
 * @param {string} [label] the table's accessible name
 */
export function table(columns, rows, empty, label) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'cards', 'aria-label': label },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.label)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((c) => h('td', { 'data-label': c.label, class: c.className }, c.cell(row))))))));
}

/**
 * A table that grows a page at a time: its button reads the next page with the API's `cursor`,
 * and the keyboard lands on the first row it added.
 * @template T
 * @param {Column<T>[]} columns
 * @param {{ entities: T[], cursor?: string }} first
 * @param {(cursor: string) => Promise<{ entities: T[], cursor?: string }>} next
 * @param {{ empty: string, label: string, more: string }} words
 */
export function pagedTable(columns, first, next, words) {
  const rows = [...first.entities];
  const holder = h('div', {});
  /** @param {string | undefined} cursor @param {number} [focusRow] */
  const draw = (cursor, focusRow) => {
    holder.replaceChildren(table(columns, rows, words.empty, words.label));
    if (cursor !== undefined) holder.append(actionButton(words.more, '', async () => {
        const page = await next(cursor);
        const added = rows.length;
        rows.push(...page.entities);
        draw(page.cursor, added);
        announce(`${page.entities.length} more shown`);
      }, 'secondary'));
    if (focusRow !== undefined) holder.querySelectorAll('tbody tr')[focusRow]?.querySelector('a')?.focus();
  };
  draw(first.cursor);
  return holder;
}

/** A button that copies `value` to the clipboard and says so. @param {string} value @param {string} what */
export function copyButton(value, what) {
  const button = h('button', {
    type: 'button',
    class: 'secondary',
    'aria-label': `Copy ${what}`,
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(value);
        button.textContent = 'Copied';
        announce(`${what} copied`);
      } catch {
        button.textContent = 'Select and copy it';
      }
    },
  }, 'Copy');
  return button;
}

/**
 * Secrets the server shows once (a new client secret, an API token): each with a copy button, and
 * the warning that it cannot be shown again.
 * @param {string} title
 * @param {Array<[string, string]>} entries label and value
 */
export function secretOnce(title, entries) {
  return h('div', { class: 'secret', role: 'region', 'aria-label': title },
    h('strong', {}, title),
    h('p', { class: 'muted' }, 'Shown once: copy it now. The server keeps only a hash and cannot show it again.'),
    entries.map(([label, value]) => h('div', { class: 'row' }, h('span', {}, `${label}:`), h('code', { 'data-secret': label }, value), copyButton(value, label))));
}

/**
 * Facts as a definition list.
 * @param {Array<[string, Child]>} pairs
 */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/** @param {string} org @param {string} [app] @param {...string} rest */
export function href(org, app, ...rest) {
  return `#/o/${[org, ...(app === undefined ? [] : ['a', app]), ...rest].map(encodeURIComponent).join('/')}`;
}

/**
 * The tabs of an application's pages.
 * @param {string} org @param {string} app
 * @param {'settings' | 'users' | 'roles' | 'groups' | 'api-tokens' | 'oauth-clients'} current
 */
export function applicationTabs(org, app, current) {
  /** @type {Array<[typeof current, string, string]>} */
  const tabs = [
    ['settings', 'Settings and credentials', href(org, app)],
    ['users', 'Users', href(org, app, 'users')],
    ['roles', 'Roles', href(org, app, 'roles')],
    ['groups', 'Groups', href(org, app, 'groups')],
    ['api-tokens', 'API tokens', href(org, app, 'api-tokens')],
    ['oauth-clients', 'OAuth clients', href(org, app, 'oauth-clients')],
  ];
  return h('nav', { 'aria-label': 'Application' }, h('ul', { class: 'tabs' }, tabs.map(([key, label, link]) => h('li', {}, h('a', { href: link, 'aria-current': key === current ? 'page' : undefined }, label)))));
}

/**
 * The trail to a page under an organization: Organizations › org › app, then `more` (a step's
 * label and address; the last one, the page itself, may be just its label).
 * @param {string} org @param {string} [app] @param {...(string | [string, string])} more
 * @returns {Array<[string, string]>}
 */
export function trail(org, app, ...more) {
  /** @type {Array<[string, string]>} */
  const steps = [['Organizations', '#/'], [org, href(org)]];
  if (app !== undefined) steps.push([app, href(org, app)]);
  for (const step of more) steps.push(typeof step === 'string' ? [step, ''] : step);
  return steps;
}
