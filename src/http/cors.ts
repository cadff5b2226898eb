import type { Middleware } from 'koa';
import type { RequestState } from '../operations/types.js';

const allowedHeaders = 'QB-Token, QB-OS, QB-SDK, QB-Account-Key, Content-Type, Authorization';
const exposedHeaders = 'QB-Token-ExpirationDate, Retry-After, WWW-Authenticate, X-Request-Id';
const allowedMethods = 'GET, POST, PUT, DELETE, OPTIONS';

/**
 * CORS for browser clients (the QuickBlox JS SDK in a page, say): any origin may call the API and
 * read `QB-Token-ExpirationDate`, and a preflight `OPTIONS` is answered here, before routing.
 * Origin `*` never comes with credentials (cookies): every API credential is a header or a
 * parameter the page must hold itself. The OAuth sign-in pages, which do rely on a cookie, are left
 * out.
 */
export function cors(): Middleware<RequestState> {
  return async function allowCrossOrigin(ctx, next) {
    if (ctx.path.startsWith('/oauth/authorize')) return next();
    ctx.set('Access-Control-Allow-Origin', '*');
    if (ctx.method === 'OPTIONS' && ctx.get('access-control-request-method')) {
      ctx.set('Access-Control-Allow-Methods', allowedMethods);
      ctx.set('Access-Control-Allow-Headers', allowedHeaders);
      ctx.set('Access-Control-Max-Age', '7200');
      ctx.status = 204;
      return;
    }
    ctx.set('Access-Control-Expose-Headers', exposedHeaders);
    await next();
  };
}
