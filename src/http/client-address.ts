import type { Middleware } from 'koa';
import proxyaddr from 'proxy-addr';
import type { RequestState } from '../operations/types.js';

/**
 * The client's address, which the brute-force counters key on (`ctx.ip`). Koa runs with
 * `proxy: false`, so without trusted proxies it is the socket's. Behind a load balancer that would
 * make every client one source: an attacker's guesses would slow the owner down, and no address
 * would stay known to an account. With `TESSERA_TRUSTED_PROXIES` a request whose socket peer is a
 * trusted proxy comes from the address `X-Forwarded-For` names nearest to it that is not itself
 * trusted (proxy-addr, as Express does): only what trusted proxies appended counts, so a client
 * cannot pick its own counter by sending the header; from anyone else the header is ignored.
 * Returns undefined when no proxy is trusted: nothing to do per request.
 */
export function clientAddress(trustedProxies: readonly string[]): Middleware<RequestState> | undefined {
  if (!trustedProxies.length) return undefined;
  const trust = proxyaddr.compile([...trustedProxies]);
  return async function forwardedClientAddress(ctx, next) {
    ctx.request.ip = proxyaddr(ctx.req, trust);
    await next();
  };
}
