/**
 * Every operation that takes a client id and secret in the query string declares 429: guessing
 * secrets there is throttled like everywhere else. One hook per such transaction, made from the
 * spec, unless an earlier file gave it its own (the token endpoints throttle usernames too).
 */
import fs = require('node:fs');
import path = require('node:path');
import YAML = require('yaml');
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');

const { throttledClient } = fixturesModule;
const { operation, withQuery, step } = requests;

type Operation = { summary: string; security?: Record<string, string[]>[]; responses: Record<string, unknown> };
const spec = YAML.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'openapi.yaml'), 'utf8')) as { paths: Record<string, Record<string, Operation>> };

for (const [pathTemplate, item] of Object.entries(spec.paths)) {
  for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
    const op = item[method];
    if (!op?.responses['429'] || !op.security?.some((requirement) => 'clientId' in requirement)) continue;
    const name = operation(pathTemplate, op.summary)(429);
    if (hooks.beforeHooks[name]?.length) continue;
    hooks.before(name, step(async (t) => withQuery(t, { ...(await throttledClient()) })));
  }
}
