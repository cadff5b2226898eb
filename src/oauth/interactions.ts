import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { AppUserRecord } from '../db/repositories/app-users.js';
import type { OAuthClientRecord } from '../db/repositories/oauth-clients.js';
import type { Deps } from '../deps.js';
import { Forbidden, InvalidRequest } from '../errors.js';
import { constantTimeEqual } from '../secrets/constant-time.js';
import { sha256 } from '../secrets/digest.js';
import type { InteractionState, TokenRecord } from '../tokens/kinds.js';

/** What the interaction helpers read of a request: its cookies and headers. */
type BrowserRequest = Pick<Context, 'cookies' | 'get'>;

/**
 * An interaction is one authorization request on its way through the login and consent pages. It
 * is kept server-side, in the token store (kind `oauth_interaction`, whose metadata is its
 * `InteractionState`), under a random value that the pages carry in a hidden field and that
 * doubles as the anti-CSRF token (RFC 6749 §10.12). It is bound to the browser that started it by
 * a cookie: another browser holding the value (a leaked URL, an attacker's own login forced on a
 * victim) gets nowhere.
 */
export interface Interaction {
  value: string;
  record: TokenRecord<'oauth_interaction'>;
  state: InteractionState;
  /** The signed-in user, once the login page was passed. */
  userId: number | null;
}

const cookieName = 'tessera_oauth_browser';

/** The browser's binding secret: the one it has, or a new one with the `Set-Cookie` that gives it. */
export function browserBinding(ctx: BrowserRequest, issuer: string): { secret: string; setCookie?: string } {
  const existing = ctx.cookies.get(cookieName);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return { secret: existing };
  const secret = randomBytes(32).toString('base64url');
  // SameSite=Lax: a cross-site form post arrives without it, so it fails the binding check.
  const secure = issuer.startsWith('https:') ? '; Secure' : '';
  return { secret, setCookie: `${cookieName}=${secret}; Path=/oauth/authorize; HttpOnly; SameSite=Lax${secure}` };
}

export async function startInteraction(
  deps: Pick<Deps, 'tokens' | 'config'>,
  client: OAuthClientRecord,
  request: Omit<InteractionState, 'browser'> & { scopes: string[] },
  browserSecret: string,
): Promise<string> {
  const { scopes, ...state } = request;
  const { value } = await deps.tokens.issue('oauth_interaction', {
    organizationId: client.organizationId,
    applicationId: client.applicationId,
    scopes,
    clientId: client.clientId,
    metadata: { ...state, browser: sha256(browserSecret) },
    lifetimeMs: deps.config.oauthInteractionTtlMs,
  });
  return value;
}

/**
 * RFC 6749 §10.12 and RFC 9700 §4.16: a page's form is accepted only from our own pages. A foreign
 * `Origin` or a cross-site fetch is refused. (`Origin: null` is what a same-origin post says under
 * `Referrer-Policy: no-referrer`, so it proves nothing either way; the cookie binding decides.)
 */
export function checkSameOrigin(ctx: BrowserRequest, issuer: string): void {
  const origin = ctx.get('origin');
  if (origin && origin !== 'null' && origin !== new URL(issuer).origin) throw new Forbidden("This form was not sent from this server's page", 'forbidden');
  const site = ctx.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') throw new Forbidden("This form was not sent from this server's page", 'forbidden');
}

/** The interaction a page names, if it is live and belongs to this browser. */
export async function loadInteraction(deps: Pick<Deps, 'tokens'>, ctx: BrowserRequest, value: string | undefined): Promise<Interaction> {
  const expired = new InvalidRequest('This sign-in has expired or was already completed; start again from the application');
  if (!value) throw expired;
  const found = await deps.tokens.lookup(value);
  if (found.status !== 'active' || found.token.kind !== 'oauth_interaction') throw expired;
  const state = found.token.metadata;
  const browser = ctx.cookies.get(cookieName);
  if (!browser || !constantTimeEqual(sha256(browser), state.browser)) {
    throw new Forbidden('This sign-in was started in another browser, or cookies are blocked; start again from the application', 'forbidden');
  }
  return { value, record: found.token, state, userId: found.token.subjectId };
}

/**
 * Records who signed in; the consent page comes next. Refused when the interaction changed since the
 * page read it (a second sign-in form sent together with this one got there first).
 */
export async function markSignedIn(deps: Pick<Deps, 'tokens'>, interaction: Interaction, user: AppUserRecord): Promise<void> {
  const rebound = await deps.tokens.rebind(interaction.record, { principalKind: 'appUser', subjectId: user.id, ceiling: 'read', metadata: interaction.record.metadata });
  if (!rebound) throw new InvalidRequest('This sign-in was completed by another form sent at the same time; start again from the application');
}

/** Uses the interaction up; false when it was already answered (a form sent twice). */
export function finishInteraction(deps: Pick<Deps, 'tokens'>, interaction: Interaction): Promise<boolean> {
  return deps.tokens.consume(interaction.record);
}

/** Where the pages of an interaction are shown (a 303 after each form post lands here). */
export const interactionUri = (value: string) => `/oauth/authorize?interaction=${encodeURIComponent(value)}`;
