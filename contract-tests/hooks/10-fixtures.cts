/** Makes the shared fixtures (tokens, a second organization, more users and cats) before the first transaction. */
import hooks = require('hooks');
import fixtures = require('../support/fixtures.cjs');

hooks.beforeAll((transactions, done) => {
  fixtures.setUp().then(
    () => done(),
    (error: unknown) => {
      // Without fixtures no hook can do its job; fail everything with the one reason that matters.
      const reason = `fixtures could not be set up: ${error instanceof Error ? error.message : String(error)}`;
      for (const t of transactions) t.fail = reason;
      done();
    },
  );
});
