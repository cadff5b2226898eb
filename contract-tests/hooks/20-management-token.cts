/** POST /management/token, in JSON and as a form (two transactions under each name). */
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');

const { fixtures, unique, throttledUsername } = fixturesModule;
const { operation, withBody, step } = requests;

const getToken = operation('/management/token', 'Get an admin access token');
hooks.before(getToken(200), (t) => withBody(t, { grant_type: 'password', ...fixtures().admin }));
// A username nobody has: a wrong password for the demo admin would count towards its throttling.
hooks.before(getToken(400), (t) => withBody(t, { grant_type: 'password', username: unique('nobody'), password: 'any-password' }));
hooks.before(getToken(429), step(async (t) => {
  withBody(t, { grant_type: 'password', username: await throttledUsername(), password: 'wrong-password' });
}));
