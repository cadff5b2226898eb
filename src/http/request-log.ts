import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { redactUrl } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { RequestState } from '../operations/types.js';

/**
 * What a request is counted under in the metrics: its operationId; outside the spec, the route
 * template that answered it (`/healthz`, `/docs/:asset`: @koa/router's `_matchedRoute`); else
 * `unrouted`. Never the path itself, which the client chooses.
 */
function operationOf(state: RequestState, matchedRoute: unknown): string {
  if (state.operationId) return state.operationId;
  return typeof matchedRoute === 'string' ? matchedRoute : 'unrouted';
}

/**
 * Gives each request an id (echoed in `X-Request-Id`) and logs one line when it is answered:
 * the client's address (see `clientAddress`), method, path with secret query values redacted, status, time, and
 * the error's code when it was refused. Headers and bodies are never logged. The same moment counts
 * the request in the metrics (operation, status, time taken).
 */
export function requestLog(deps: { logger: Logger; clock: Clock; metrics: Pick<Metrics, 'answered'> }): Middleware<RequestState> {
  return async function logRequest(ctx, next) {
    const incoming = ctx.get('x-request-id');
    ctx.state.requestId = /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    ctx.state.startedAt = deps.clock.now();
    ctx.set('X-Request-Id', ctx.state.requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.metrics.answered(operationOf(ctx.state, (ctx as { _matchedRoute?: unknown })._matchedRoute), ctx.status, ms / 1000);
      deps.logger.info(
        {
          requestId: ctx.state.requestId,
          ip: ctx.ip,
          method: ctx.method,
          url: redactUrl(ctx.originalUrl),
          status: ctx.status,
          ms,
          operationId: ctx.state.operationId,
          // Why a request was refused, in the error's code (never its description, which may quote the request).
          error: ctx.state.errorCode,
        },
        'request',
      );
    }
  };
}
