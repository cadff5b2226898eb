import Router from '@koa/router';
import { pendingMigrations, type Database } from '../db/knex.js';
import { consoleCsp, loadConsoleFiles } from '../web/console.js';
import { docsInitScript, docsPage, readDocsAsset } from '../web/docs.js';

const docsCsp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** What `/readyz` needs beyond the database. */
export interface Readiness {
  /** Start-up is over (migrations, superuser, demo): until then this instance is not ready. */
  started(): boolean;
  /** The check answers within this, whatever the database does, ms. */
  timeoutMs: number;
  retryAfterSeconds: number;
}

/** Whether this instance should get traffic, and why not; never throws, never waits past `timeoutMs`. */
async function readiness(db: Database, ready: Readiness): Promise<{ ready: boolean; reason?: string }> {
  if (!ready.started()) return { ready: false, reason: 'starting' };
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<{ ready: false; reason: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: 'the database did not answer in time' }), ready.timeoutMs);
  });
  const checked = pendingMigrations(db).then(
    (pending) => (pending.length === 0 ? { ready: true } : { ready: false, reason: `migrations not run: ${pending.join(', ')}` }),
    () => ({ ready: false, reason: 'the database is unavailable' }),
  );
  try {
    return await Promise.race([checked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What is not an API operation: the spec itself, the reference page, the liveness check
 * (`/healthz`: the process answers) and the readiness check (`/readyz`: send it traffic).
 */
export function staticRoutes(deps: { db: Database; specYaml: string; specJson: string; readiness: Readiness }) {
  const router = new Router();
  const consoleFiles = loadConsoleFiles();
  // The server's front door: where a person who opens its address in a browser, or a client that
  // asks it, finds the rest.
  router.get('/', (ctx) => {
    if (ctx.accepts('application/json', 'text/html') === 'text/html') return ctx.redirect('/docs');
    ctx.body = { name: 'Tessera', console: '/console/', docs: '/docs', openapi: ['/openapi.yaml', '/openapi.json'], health: '/healthz', ready: '/readyz' };
  });
  router.get('/openapi.yaml', (ctx) => {
    ctx.type = 'application/yaml; charset=utf-8';
    ctx.body = deps.specYaml;
  });
  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = deps.specJson;
  });
  router.get('/docs', (ctx) => {
    ctx.set('Content-Security-Policy', docsCsp);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = docsPage;
  });
  router.get('/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = docsInitScript;
  });
  router.get('/docs/:asset', (ctx, next) => {
    const asset = readDocsAsset(ctx.params.asset ?? '');
    if (!asset) return next();
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.type = asset.type;
    ctx.body = asset.body;
  });
  // The admin console: its page and its modules (relative imports need the trailing slash).
  router.get(['/console', '/console/*file'], (ctx, next) => {
    if (ctx.path === '/console') return ctx.redirect('/console/');
    const file = consoleFiles.get(ctx.params.file ?? 'index.html');
    if (!file) return next();
    ctx.set('Content-Security-Policy', consoleCsp);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
    // Asked again each time: an upgraded server's console is never mixed with a cached older one.
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = file.type;
    ctx.body = file.body;
  });
  router.get('/healthz', async (ctx) => {
    await deps.db.raw('select 1');
    ctx.body = { status: 'ok' };
  });
  // For a load balancer: 200 when the database answers and its schema is what this code expects
  // (a rolling upgrade's new instance waits for its migrations), 503 otherwise.
  router.get('/readyz', async (ctx) => {
    const answer = await readiness(deps.db, deps.readiness);
    ctx.set('Cache-Control', 'no-store');
    if (answer.ready) {
      ctx.body = { status: 'ready' };
      return;
    }
    ctx.status = 503;
    ctx.set('Retry-After', String(deps.readiness.retryAfterSeconds));
    ctx.body = { status: 'not ready', reason: answer.reason };
  });
  return atTheirFirstSegments(router);
}

/**
 * The router's middleware, run only for requests whose first path segment one of its routes
 * starts with (any case, as the router matches): an API request skips trying each of its
 * patterns. The router matches the raw path, so a segment is compared as it is sent.
 */
function atTheirFirstSegments(router: Router): ReturnType<Router['routes']> {
  // `OPTIONS *` holds no `/`: its segment is '' (as `/`'s), never undefined.
  const segmentOf = (path: string) => (path.split('/')[1] ?? '').toLowerCase();
  const segments = new Set(router.stack.map((layer) => segmentOf(String(layer.path))));
  const routes = router.routes();
  return (ctx, next) => (segments.has(segmentOf(ctx.path)) ? routes(ctx, next) : next());
}
