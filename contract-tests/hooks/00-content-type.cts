/**
 * Koa answers `application/json; charset=utf-8`, and Gavel compares Content-Type literally with the
 * spec's `application/json` (apiaryio/dredd#553). The charset is not what the contract is about.
 */
import hooks = require('hooks');

hooks.beforeEachValidation((t) => {
  const headers = t.real?.headers;
  if (headers?.['content-type']) headers['content-type'] = headers['content-type'].split(';')[0]!.trim();
});
