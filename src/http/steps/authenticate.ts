import type { Context as OabContext } from 'openapi-backend';
import type { Principal } from '../../auth/principal.js';
import { settlePrincipal, unauthorized } from '../../auth/settle.js';
import { expirationHeaders } from '../../quickblox/wire.js';
import type { Metrics } from '../../metrics.js';
import type { TokenStore } from '../../tokens/token-store.js';
import type { TesseraContext } from '../../operations/types.js';

/**
 * QuickBlox: every answer to a request with a valid session, errors included, says when it now
 * expires (reference §7); set here, before the handler, so an error thrown later keeps it.
 */
function announceSessionExpiry(ctx: TesseraContext, principal: Principal): void {
  if (principal.credential.scheme === 'QBToken' && principal.credential.expiresAt != null) ctx.set(expirationHeaders(principal.credential.expiresAt));
}

/** RFC 6750 §2.3 and §5.3: a token in the URI must not be cached or leak through Referer. */
function keepTokenInUriPrivate(ctx: TesseraContext, principal: Principal): void {
  if (principal.credential.scheme !== 'accessToken') return;
  ctx.set('Cache-Control', 'private');
  ctx.set('Referrer-Policy', 'no-referrer');
}

/**
 * RFC 6750 §2.2: an `access_token` in a form body is a credential, not data. It is taken out of
 * the body before validation, so no operation stores it (a user's free-form properties, say) or
 * refuses it as an unknown field.
 */
function dropFormAccessToken(ctx: TesseraContext): void {
  const request = ctx.state.plainRequest;
  if (!request?.body || typeof request.body !== 'object' || !('access_token' in request.body)) return;
  if (!ctx.request.is('application/x-www-form-urlencoded')) return;
  const { access_token: _credential, ...data } = request.body as Record<string, unknown>;
  request.body = data;
}

/**
 * The security step, after openapi-backend ran the operation's schemes: `auth/` decides who the
 * request is (`settlePrincipal`); this puts the principal and the credential it presented on the
 * request state for the later steps and the handler, and does the HTTP work that follows from it.
 */
export function authenticate(deps: { tokens: TokenStore; metrics: Pick<Metrics, 'authenticated'> }) {
  const settle = settlePrincipal(deps);
  return function authenticate(c: OabContext, ctx: TesseraContext): void {
    const { principal, presented } = settle(c.security);
    ctx.state.principal = principal;
    if (presented) ctx.state.presented = presented;
    announceSessionExpiry(ctx, principal);
    keepTokenInUriPrivate(ctx, principal);
    dropFormAccessToken(ctx);
  };
}

/** No requirement of the operation was met and no credential was bad: 401 with a challenge. */
export function refuseUnauthenticated(): never {
  return unauthorized();
}
