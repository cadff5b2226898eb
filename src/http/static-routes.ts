import Router from '@koa/router';
import type { Database } from '../db/knex.js';
import { docsInitScript, docsPage, readDocsAsset } from '../web/docs.js';

const docsCsp = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** What is not an API operation: the spec itself, the reference page and the health check. */
export function staticRoutes(deps: { db: Database; specYaml: string; specJson: string }) {
  const router = new Router();
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
  router.get('/healthz', async (ctx) => {
    await deps.db.raw('select 1');
    ctx.body = { status: 'ok' };
  });
  return router;
}
