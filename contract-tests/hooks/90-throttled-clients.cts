/**
 * Every operation that takes a client id and secret in the query string declares 429: guessing
 * secrets there is throttled like everywhere else. One hook per such transaction, made from the
 * spec, unless an earlier file gave it its own (the token endpoints throttle usernames too).
 */
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');
import spec = require('../support/spec.cjs');

const { throttledClient } = fixturesModule;
const { operation, withQuery, step } = requests;

for (const { pathTemplate, operation: op } of spec.operations()) {
  if (!op.responses['429'] || !op.security?.some((requirement) => 'clientId' in requirement)) continue;
  const name = operation(pathTemplate, op.summary)(429);
  if (hooks.beforeHooks[name]?.length) continue;
  hooks.before(name, step(async (t) => withQuery(t, { ...(await throttledClient()) })));
}
