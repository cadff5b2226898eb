/**
 * The floor of the benchmark: bare Koa, no router, no authentication, no storage, no log. One
 * handler answers every request with a small JSON body, so the load generator can send it the very
 * requests it sends Tessera (same method, path, headers and body, same per-request work on its
 * side) and the only difference measured is the server. A request body is not read (Node discards
 * it). `GET /` is the canonical route.
 *
 *   PORT=0 node scripts/bench/floor.mjs    → prints {"url":"http://127.0.0.1:<port>"} once listening
 */
import Koa from 'koa';

const app = new Koa();
app.use((ctx) => {
  ctx.body = { ok: true };
});

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://${address}:${port}` })}\n`);
});

// Said on stderr, so that a floor stopped from outside (not by run.ts, which stops it last) is told from a crash.
const stop = (signal) => {
  process.stderr.write(`bare Koa floor (pid ${process.pid}): ${signal}, stopping\n`);
  server.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
