// @ts-check
/**
 * The console: a page per address after `#`, each a client of the management API (api.js). Signed
 * out, every address shows the sign-in form, and returns to that address once signed in.
 */
import { ApiError, me, signedIn, signOut, whenSignedOut } from './api.js';
import { announce, h } from './ui.js';
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
 * @property {() => Promise<void>} reload draw this page again from the server's answers
 * @property {(address: string) => void} go open another page (`#/…`)
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
        params[segment.slice(1)] = decodeURIComponent(part);
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

function address() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

function drawAccount() {
  account.replaceChildren();
  if (!admin) return;
  account.append(
    h('span', {}, 'Signed in as ', h('strong', {}, admin.username), admin.superuser ? ' (superuser)' : ''),
    h('button', {
      type: 'button',
      class: 'secondary',
      onclick: async () => {
        try {
          await signOut();
        } catch {
          // Forgotten here whatever the server said; it ends at its expiry if it was not revoked.
        }
        admin = undefined;
        endedBecause = 'You are signed out.';
        await draw(true);
      },
    }, 'Sign out'),
  );
}

/** @param {Array<[string, string]>} steps */
function drawTrail(steps) {
  trailNav.replaceChildren();
  if (steps.length === 0) return;
  trailNav.append(h('ol', {}, steps.map(([label, link], i) => h('li', {}, i === steps.length - 1 || !link ? h('span', { 'aria-current': 'page' }, label) : h('a', { href: link }, label)))));
}

/** @param {boolean} moved a new address (focus goes to the heading), or the same page drawn again */
async function draw(moved) {
  drawAccount();
  if (!signedIn() || !admin) {
    drawTrail([]);
    const page = signInPage({
      reason: endedBecause,
      signedIn: (user) => {
        admin = user;
        endedBecause = undefined;
        void draw(true);
      },
    });
    document.title = 'Sign in · Tessera console';
    main.replaceChildren(h('h1', { tabindex: '-1' }, 'Sign in'), page);
    return;
  }
  const { path, query } = address();
  const found = match(path);
  if (!found) {
    drawTrail([['Organizations', '#/']]);
    main.replaceChildren(h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'There is no such page. ', h('a', { href: '#/' }, 'Go to the organizations.')));
    return;
  }
  const [pageFunction, params] = found;
  if (moved) main.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Loading…'));
  /** @type {PageContext} */
  const context = {
    params,
    query,
    admin,
    reload: () => draw(false),
    go: (to) => {
      location.hash = to;
    },
  };
  try {
    const page = await pageFunction(context);
    if (address().path !== path) return; // the admin went elsewhere meanwhile
    document.title = `${page.title} · Tessera console`;
    drawTrail(page.trail ?? []);
    const heading = h('h1', { tabindex: '-1' }, page.title);
    main.replaceChildren(heading, ...page.content.flat().filter((node) => node instanceof Node));
    if (moved) {
      heading.focus();
      announce(page.title);
    }
  } catch (error) {
    if (!signedIn()) return; // a 401 ended the session: the sign-in page is already drawn
    const message = error instanceof ApiError ? error.message : 'Something went wrong drawing this page.';
    if (!(error instanceof ApiError)) console.error(error);
    drawTrail([['Organizations', '#/']]);
    main.replaceChildren(h('h1', { tabindex: '-1' }, 'Cannot show this page'), h('p', { class: 'alert', role: 'alert' }, message), h('p', {}, h('a', { href: '#/' }, 'Go to the organizations.')));
  }
}

whenSignedOut((reason) => {
  admin = undefined;
  endedBecause = `Your session ended: ${reason}. Sign in again.`;
  void draw(true);
});

window.addEventListener('hashchange', () => void draw(true));
void draw(true);

export { me };
