// @ts-check
/**
 * The console: a page per address after `#`, each a client of the management API (api.js). Signed
 * out, every address shows the sign-in form, and returns to that address once signed in.
 */
import { signedIn, signOut, whenSignedOut } from './api.js';
import { announce, append, h, isRefusal } from './ui.js';
import { signInPage } from './pages/sign-in.js';
import { organizationPage, organizationsPage } from './pages/organizations.js';
import { applicationPage } from './pages/applications.js';
import { userPage, usersPage } from './pages/users.js';
import { rolePage, rolesPage } from './pages/roles.js';
import { groupPage, groupsPage } from './pages/groups.js';
import { apiTokensPage } from './pages/api-tokens.js';
import { oauthClientsPage } from './pages/oauth-clients.js';
import { auditEventsPage } from './pages/audit-events.js';

/**
 * What a page gets.
 * @typedef {object} PageContext
 * @property {Record<string, string>} params the address's named parts, decoded
 * @property {URLSearchParams} query what follows `?` in the address
 * @property {import('./api.js').AdminUser} admin the signed-in admin (or superuser)
 * @property {(notice?: import('./ui.js').Child[]) => Promise<boolean>} reload draw this page again
 *   from the server's answers, with `notice` under its heading (drawn even when the page cannot
 *   be: a secret shown once must never be lost to a failed redraw); false when it was not drawn
 * @property {(address: string) => void} go open another page (`#/…`), or this one again
 */
/**
 * What a page draws.
 * @typedef {object} Page
 * @property {string} title
 * @property {Array<[string, string]>} [trail] label and address of each step to here
 * @property {import('./ui.js').Child[]} content
 */
/** @typedef {(context: PageContext) => Promise<Page>} PageFunction */

/** @type {Array<[string, PageFunction]>} */
const routes = [
  ['/', organizationsPage],
  ['/o/:org', organizationPage],
  ['/o/:org/audit-events', auditEventsPage],
  ['/o/:org/a/:app', applicationPage],
  ['/o/:org/a/:app/users', usersPage],
  ['/o/:org/a/:app/users/:user', userPage],
  ['/o/:org/a/:app/roles', rolesPage],
  ['/o/:org/a/:app/roles/:role', rolePage],
  ['/o/:org/a/:app/groups', groupsPage],
  ['/o/:org/a/:app/groups/:group', groupPage],
  ['/o/:org/a/:app/api-tokens', apiTokensPage],
  ['/o/:org/a/:app/oauth-clients', oauthClientsPage],
];

/** @param {string} path @returns {[PageFunction, Record<string, string>] | undefined} */
function match(path) {
  const parts = path.split('/').filter(Boolean);
  for (const [pattern, page] of routes) {
    const expected = pattern.split('/').filter(Boolean);
    if (expected.length !== parts.length) continue;
    /** @type {Record<string, string>} */
    const params = {};
    const fits = expected.every((segment, i) => {
      const part = /** @type {string} */ (parts[i]);
      if (!segment.startsWith(':')) return segment === part;
      try {
        const value = decodeURIComponent(part);
        // `.` and `..` would pass encodeURIComponent unchanged and the browser would resolve them
        // in the request's path: `#/o/demo/a/%2e%2e` must not make a page call another operation.
        if (value === '.' || value === '..' || value === '') return false;
        params[segment.slice(1)] = value;
        return true;
      } catch {
        return false;
      }
    });
    if (fits) return [page, params];
  }
  return undefined;
}

const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const account = /** @type {HTMLElement} */ (document.getElementById('account'));
const trailNav = /** @type {HTMLElement} */ (document.getElementById('trail'));

/** @type {import('./api.js').AdminUser | undefined} */
let admin;
/** Why the last session ended, said once on the sign-in page. @type {string | undefined} */
let endedBecause;
/**
 * Each draw's number: a page whose answers arrive after a newer draw began (another address, a
 * second redraw, a sign-out) is dropped, never drawn over what came after it.
 */
let generation = 0;

function address() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

function drawAccount() {
  account.replaceChildren();
  if (!admin) return;
  const button = h('button', {
    type: 'button',
    class: 'secondary',
    onclick: async () => {
      button.disabled = true;
      try {
        await signOut();
      } catch {
        // Forgotten here whatever the server said; it ends at its expiry if it was not revoked.
      }
      admin = undefined;
      endedBecause = 'You are signed out.';
      await draw({ moved: true });
    },
  }, 'Sign out');
  account.append(h('span', {}, 'Signed in as ', h('strong', {}, admin.username), admin.superuser ? ' (superuser)' : ''), button);
}

/** @param {Array<[string, string]>} steps */
function drawTrail(steps) {
  trailNav.replaceChildren();
  if (steps.length === 0) return;
  trailNav.append(h('ol', {}, steps.map(([label, link], i) => h('li', {}, i === steps.length - 1 || !link ? h('span', { 'aria-current': 'page' }, label) : h('a', { href: link }, label)))));
}

/**
 * How to find again, in the page drawn anew, the control that has the keyboard now: a form's
 * field by the form's name and its own, a button by its accessible name.
 * @returns {() => HTMLElement | null}
 */
function focusedControl() {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !main.contains(active)) return () => null;
  const formName = active.closest('form')?.getAttribute('aria-label');
  const name = active.getAttribute('name');
  if (formName && name) return () => main.querySelector(`form[aria-label="${CSS.escape(formName)}"] [name="${CSS.escape(name)}"]`);
  if (active instanceof HTMLButtonElement) {
    const label = active.getAttribute('aria-label') ?? active.textContent;
    return () => [...main.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent) === label) ?? null;
  }
  return () => null;
}

/**
 * Draws the page of the address (or the sign-in form). A new address moves the keyboard to the
 * page's heading; a redraw keeps it on the control it was on, or takes it to the notice.
 * @param {{ moved?: boolean, notice?: import('./ui.js').Child[] }} how
 * @returns {Promise<boolean>} whether the page was drawn
 */
async function draw({ moved = false, notice } = {}) {
  const mine = ++generation;
  const refocus = moved ? () => null : focusedControl();
  drawAccount();
  if (!signedIn() || !admin) {
    drawTrail([]);
    const page = signInPage({
      reason: endedBecause,
      signedIn: (user) => {
        admin = user;
        endedBecause = undefined;
        void draw({ moved: true });
      },
    });
    document.title = 'Sign in · Tessera console';
    const heading = h('h1', { tabindex: '-1' }, 'Sign in');
    main.replaceChildren(heading, page);
    if (moved) heading.focus();
    return false;
  }
  const { path, query } = address();
  const found = match(path);
  if (!found) {
    show(['Not found', [['Organizations', '#/']], [h('p', {}, 'There is no such page. ', h('a', { href: '#/' }, 'Go to the organizations.'))]], { moved: true });
    return false;
  }
  const [pageFunction, params] = found;
  if (moved) main.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  /** @type {PageContext} */
  const context = {
    params,
    query,
    admin,
    reload: (again) => draw({ notice: again }),
    go: (to) => {
      if (location.hash === to) void draw({});
      else location.hash = to;
    },
  };
  try {
    const page = await pageFunction(context);
    if (mine !== generation || !signedIn()) return false;
    show([page.title, page.trail ?? [], page.content], { moved, notice, refocus });
    return true;
  } catch (error) {
    if (mine !== generation || !signedIn()) return false; // a 401 ended the session: the sign-in page is drawn
    if (!isRefusal(error)) console.error(error);
    const message = isRefusal(error) ? /** @type {Error} */ (error).message : 'Something went wrong drawing this page.';
    show(['Cannot show this page', [['Organizations', '#/']], [h('p', { class: 'alert', role: 'alert' }, message), h('p', {}, h('a', { href: '#/' }, 'Go to the organizations.'))]], { moved: true, notice });
    return false;
  }
}

/**
 * Puts a page on the screen: its title (the document's too), trail, notice and content, and the
 * keyboard where `draw` says.
 * @param {[string, Array<[string, string]>, import('./ui.js').Child[]]} page
 * @param {{ moved: boolean, notice?: import('./ui.js').Child[], refocus?: () => HTMLElement | null }} how
 */
function show([title, steps, content], { moved, notice, refocus }) {
  document.title = `${title} · Tessera console`;
  drawTrail(steps);
  const heading = h('h1', { tabindex: '-1' }, title);
  const noticeBox = notice ? h('div', { class: 'notices', tabindex: '-1' }, ...notice) : null;
  main.replaceChildren(heading, ...(noticeBox ? [noticeBox] : []));
  append(main, content);
  if (noticeBox) noticeBox.focus();
  else if (moved) heading.focus();
  else refocus?.()?.focus();
  if (moved) announce(title);
}

whenSignedOut((reason) => {
  admin = undefined;
  endedBecause = `Your session ended: ${reason}. Sign in again.`;
  void draw({ moved: true });
});

// Leaving the page revoked the token (api.js); a page the browser brings back from its
// back/forward cache must not look signed in without one.
window.addEventListener('pageshow', (event) => {
  if (!event.persisted || !admin) return;
  admin = undefined;
  endedBecause = 'You left the console, which ended your session. Sign in again.';
  void draw({ moved: true });
});
window.addEventListener('hashchange', () => void draw({ moved: true }));
// The skip link moves the keyboard to the page, not the address (which is the router's).
document.getElementById('skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
void draw({ moved: true });
