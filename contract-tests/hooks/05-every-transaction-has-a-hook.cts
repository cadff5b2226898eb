/**
 * Every transaction shares one request built from the spec's examples, so without its own hook a
 * transaction would test whatever status that request happens to get. A transaction nobody wrote a
 * hook for (a new operation or response code in openapi.yaml, or a hook file that failed to load:
 * DREDD_LOGLEVEL=warn shows why) fails here rather than passing by accident or being skipped.
 */
import hooks = require('hooks');

hooks.beforeEach((t) => {
  if (!hooks.beforeHooks[t.name]?.length) {
    t.fail = `no before hook for "${t.name}": add one under contract-tests/hooks/`;
  }
});
