/**
 * Checks every response body against the schema openapi.yaml gives it, instead of Dredd's
 * "has the keys of a generated example" check (see support/spec.cts). Error bodies need this most:
 * the server's own response validation (a 502 on a mismatch) covers only what handlers return.
 */
import hooks = require('hooks');
import spec = require('../support/spec.cjs');

hooks.beforeEachValidation((t) => {
  const schema = spec.responseSchema(t);
  if (schema) t.expected.bodySchema = schema;
});
