/**
 * The load generator of the benchmark, in a process of its own so that it never shares an event
 * loop with the server it measures. Runs autocannon for one workload and prints one JSON result.
 *
 *   node scripts/bench/load.mjs '<workload JSON>'      or      echo '<workload JSON>' | node scripts/bench/load.mjs
 *
 * Workload: {
 *   url, method = "GET", headers = {}, body?: string,
 *   duration = 8 (s), connections = 50,
 *   bearerTokensFile?: a file of tokens, one a line: each request carries the next one as
 *                      `Authorization: Bearer` (round robin over the whole list),
 *   bodiesFile?:       a file of request bodies, one a line: each request sends the next one (round robin),
 *   quickbloxSession?: { applicationId, authKey, authSecret }: each request's body is a freshly
 *                      signed QuickBlox `POST /session.json` form (new nonce and timestamp)
 * }
 * Result: { requests, durationS, reqPerSec, latencyMs: { p50, p90, p99, max, mean }, non2xx,
 *           statusCodes, errors, timeouts, firstFailure?: { status?, body?, error? } }
 * Latencies are of 2xx answers only (autocannon's rule), in whole milliseconds.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import autocannon from 'autocannon';

async function readWorkload() {
  if (process.argv[2]) return JSON.parse(process.argv[2]);
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return JSON.parse(text);
}

/** QuickBlox's signature: HMAC-SHA1 of every parameter as `name=value`, sorted, joined with `&`. */
function signedSessionForm({ applicationId, authKey, authSecret }, nonce) {
  const params = { application_id: String(applicationId), auth_key: authKey, nonce: String(nonce), timestamp: String(Math.floor(Date.now() / 1000)) };
  const message = Object.entries(params).map(([name, value]) => `${name}=${value}`).sort().join('&');
  const signature = createHmac('sha1', authSecret).update(message).digest('hex');
  return new URLSearchParams({ ...params, signature }).toString();
}

const workload = await readWorkload();
const url = new URL(workload.url);
const method = workload.method ?? 'GET';
const headers = { ...(workload.headers ?? {}) };

let firstFailure;
const request = {
  method,
  path: url.pathname + url.search,
  headers,
  ...(workload.body !== undefined && { body: workload.body }),
  onResponse(status, body) {
    if ((status < 200 || status > 299) && !firstFailure) firstFailure = { status, body: String(body).slice(0, 2000) };
  },
};

if (workload.bearerTokensFile) {
  const tokens = fs.readFileSync(workload.bearerTokensFile, 'utf8').split('\n').filter(Boolean);
  if (!tokens.length) throw new Error(`no tokens in ${workload.bearerTokensFile}`);
  let next = Math.floor(Math.random() * tokens.length);
  request.setupRequest = (req) => {
    req.headers.authorization = `Bearer ${tokens[next]}`;
    next = (next + 1) % tokens.length;
    return req;
  };
}

if (workload.bodiesFile) {
  const bodies = fs.readFileSync(workload.bodiesFile, 'utf8').split('\n').filter(Boolean);
  if (!bodies.length) throw new Error(`no bodies in ${workload.bodiesFile}`);
  let next = Math.floor(Math.random() * bodies.length);
  request.setupRequest = (req) => {
    req.body = bodies[next];
    next = (next + 1) % bodies.length;
    return req;
  };
}

if (workload.quickbloxSession) {
  // Unique per (application, timestamp, nonce) across runs and processes: a random 48-bit start, then counting.
  let nonce = randomBytes(6).readUIntBE(0, 6);
  request.setupRequest = (req) => {
    req.headers['content-type'] = 'application/x-www-form-urlencoded';
    req.body = signedSessionForm(workload.quickbloxSession, nonce++);
    return req;
  };
}

const instance = autocannon({
  url: url.origin,
  connections: workload.connections ?? 50,
  duration: workload.duration ?? 8,
  requests: [request],
});
instance.on('reqError', (error) => {
  if (!firstFailure) firstFailure = { error: error?.message ?? String(error) };
});
const result = await instance;

const requests = result.requests.total;
process.stdout.write(
  `${JSON.stringify({
    requests,
    durationS: result.duration,
    reqPerSec: requests / result.duration,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: result.latency.mean },
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    errors: result.errors,
    timeouts: result.timeouts,
    ...(firstFailure && { firstFailure }),
  })}\n`,
);
