/**
 * The benchmark's reference: the least work a credible token-checking server does for
 * `GET /session.json` with a `QB-Token`, on the same stack as Tessera and nothing else. Koa; one
 * access-log line per request by pino, to a file, buffered as Tessera's is; a request id; the token
 * looked up by its SHA-256 digest in a Map (no database, no cache across instances, no routing, no
 * spec, no validation); its expiry slid in memory; the headers and body Tessera answered with.
 *
 * It answers one question the floor cannot: how far below bare Koa does a server land that does
 * only what any authentication server must (log the request, check the credential, send the
 * protocol's headers)? Tessera's ratio is read against it as well as against the floor. It is a
 * lower bound for Tessera's W0 work, not a competitor: it persists nothing, so a revocation by
 * another instance, a restart or `kill -9` would all be lost on it.
 *
 *   REFERENCE='{"path":"/session.json","tokenHeader":"qb-token","token":"…","body":"…","headers":{…},"expiryHeader":"QB-Token-ExpirationDate"}' \
 *     PORT=0 node scripts/bench/reference.mjs    → prints {"url":"http://127.0.0.1:<port>"} once listening; the log goes to stderr
 */
import { createHash, randomUUID } from 'node:crypto';
import Koa from 'koa';
import pino from 'pino';

const reference = JSON.parse(process.env.REFERENCE ?? '{}');
// Parsed once and serialized by Koa per request, as Tessera's answer is.
const body = JSON.parse(reference.body);
const digest = (token) => createHash('sha256').update(token).digest('base64url');
const sessionMs = 2 * 60 * 60 * 1000;
const sessions = new Map([[digest(reference.token), { expiresAt: Date.now() + sessionMs }]]);
// Tessera's QuickBlox expiry format: `YYYY-MM-DD hh:mm:ss UTC`.
const quickbloxTime = (ms) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

// stderr (fd 2): the bench sends it to a file, as Tessera's stdout is; sonic-boom buffers up to 8 KiB as Tessera's log does.
const log = pino({}, pino.destination({ dest: 2, minLength: 8192, sync: false }));

const app = new Koa();
app.use(async (ctx, next) => {
  const requestId = randomUUID();
  const started = process.hrtime.bigint();
  ctx.set('X-Request-Id', requestId);
  await next();
  log.info({ requestId, ip: ctx.ip, method: ctx.method, url: ctx.originalUrl, status: ctx.status, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
});
app.use((ctx) => {
  const token = ctx.get(reference.tokenHeader);
  const session = ctx.path === reference.path && token ? sessions.get(digest(token)) : undefined;
  const now = Date.now();
  if (!session || session.expiresAt <= now) {
    ctx.status = 401;
    ctx.body = { errors: ['Token is required'] };
    return;
  }
  session.expiresAt = now + sessionMs;
  for (const [name, value] of Object.entries(reference.headers)) ctx.set(name, value);
  ctx.set(reference.expiryHeader, quickbloxTime(session.expiresAt));
  ctx.body = body;
});

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://${address}:${port}` })}\n`);
});

const stop = () => server.close(() => log.flush(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
