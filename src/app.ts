import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import type { Deps } from './deps.js';
import { openapiMiddleware } from './http/adapter.js';
import { createApi } from './http/api.js';
import { bodyDepthBound } from './http/body-depth.js';
import { clientAddress } from './http/client-address.js';
import { cors } from './http/cors.js';
import { errorRenderer } from './http/error-renderer.js';
import type { RequestState } from './operations/types.js';
import { requestLog } from './http/request-log.js';
import { storableTextOnly } from './http/storable-text.js';
import { staticRoutes } from './http/static-routes.js';
import { createHandlers } from './operations/index.js';
import { loadSpec } from './spec.js';

/** Browsers take every answer as the type it declares (a JSON error is never sniffed into HTML). */
async function noSniff(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  ctx.set('X-Content-Type-Options', 'nosniff');
  await next();
}

/** What a 503 for an unavailable database tells clients to wait: about as long as one attempt to reach it may take. */
function retryAfterSeconds(config: Deps['config']): number {
  return Math.max(1, Math.ceil(config.databaseConnectTimeoutMs / 1000));
}

/**
 * One request, one pass: request id + access log → CORS (preflights answered) → error renderer →
 * body parsing (size and depth bounded; no text the database cannot hold) → the routes that are
 * not API operations → openapi-backend (route, security, validation, authorization, handler,
 * response).
 */
export async function buildApp(deps: Deps, options: { started?: () => boolean } = {}): Promise<Koa<RequestState>> {
  const spec = loadSpec();
  const { dispatch } = await createApi(deps, spec.document, createHandlers(deps));
  const app = new Koa<RequestState>({ proxy: false });
  const limit = `${deps.config.bodyLimit}b`;
  // What escapes the error renderer goes to the redacting log, not Koa's default console.error of the raw stack.
  app.on('error', (error: { status?: number; expose?: boolean }, ctx?: { state?: RequestState }) => {
    if (error.status === 404 || error.expose) return; // as Koa's own handler: client errors are no news
    deps.logger.error({ err: error, requestId: ctx?.state?.requestId }, 'unhandled error');
  });

  const forwarded = clientAddress(deps.config.trustedProxies);
  if (forwarded) app.use(forwarded);
  app.use(requestLog(deps));
  app.use(cors());
  app.use(errorRenderer({ logger: deps.logger, clock: deps.clock, bodyLimit: deps.config.bodyLimit, retryAfterSeconds: retryAfterSeconds(deps.config) }));
  app.use(noSniff);
  app.use(bodyParser({ enableTypes: ['json', 'form'], jsonLimit: limit, formLimit: limit, jsonStrict: true, encoding: 'utf-8' }));
  app.use(bodyDepthBound(deps.config.bodyMaxDepth, deps.config.bodyMaxValues));
  app.use(storableTextOnly());
  const routes = staticRoutes({ db: deps.db, specYaml: spec.yaml, specJson: spec.json, readiness: { started: options.started ?? (() => true), timeoutMs: deps.config.databaseConnectTimeoutMs, retryAfterSeconds: retryAfterSeconds(deps.config) } });
  app.use(routes);
  app.use(openapiMiddleware(dispatch));
  return app;
}
