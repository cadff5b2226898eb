/** /{org}/{app}/users and /{org}/{app}/users/{user}. */
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');

const { fixtures, unique, freshUser } = fixturesModule;
const { operation, at, withQuery, withBody, step, asSuperuser, asOrgAdmin, asOrgAdminInQuery, asOutsider, asAppClient, withUnknownToken } = requests;

const newUser = () => {
  const username = unique('user');
  return { username, email: `${username}@contract.example`, password: `${username}-password`, name: 'Carol' };
};
const change = { name: 'Carol Jones' };
const noApplication = { app: 'no-such-application' };
const noUser = { user: 'no-such-user' };

const listUsers = operation('/{org}/{app}/users', "List the application's users");
// A page smaller than the list, so the answer has a `cursor` as well.
hooks.before(listUsers(200), (t) => { asAppClient(t); withQuery(t, { limit: '1' }); });
hooks.before(listUsers(400), (t) => { asAppClient(t); withQuery(t, { limit: '0' }); });
hooks.before(listUsers(401), withUnknownToken);
hooks.before(listUsers(403), asOutsider);
hooks.before(listUsers(404), (t) => { asSuperuser(t); at(t, noApplication); });

const createUser = operation('/{org}/{app}/users', 'Create an application user');
hooks.before(createUser(200), (t) => { asOrgAdmin(t); withBody(t, newUser()); });
hooks.before(createUser(400), (t) => { asOrgAdmin(t); withBody(t, { ...newUser(), password: 'short' }); });
hooks.before(createUser(401), (t) => { withUnknownToken(t); withBody(t, newUser()); });
hooks.before(createUser(403), (t) => { asOutsider(t); withBody(t, newUser()); });
hooks.before(createUser(404), (t) => { asSuperuser(t); at(t, noApplication); withBody(t, newUser()); });
hooks.before(createUser(409), (t) => { asAppClient(t); withBody(t, { ...newUser(), username: fixtures().user }); });

const readUser = operation('/{org}/{app}/users/{user}', 'Read a user by uuid, username or email');
hooks.before(readUser(200), asAppClient);
hooks.before(readUser(401), withUnknownToken);
hooks.before(readUser(403), asOutsider);
hooks.before(readUser(404), (t) => { asSuperuser(t); at(t, noUser); });

const updateUser = operation('/{org}/{app}/users/{user}', 'Change a user');
hooks.before(updateUser(200), step(async (t) => { asOrgAdminInQuery(t); at(t, { user: await freshUser() }); withBody(t, change); }));
hooks.before(updateUser(400), (t) => { asOrgAdmin(t); withBody(t, { email: 'not-an-email-address' }); });
hooks.before(updateUser(401), (t) => { withUnknownToken(t); withBody(t, change); });
hooks.before(updateUser(403), (t) => { asOutsider(t); withBody(t, change); });
hooks.before(updateUser(404), (t) => { asSuperuser(t); at(t, noUser); withBody(t, change); });
hooks.before(updateUser(409), (t) => { asOrgAdmin(t); withBody(t, { username: fixtures().otherUser }); });

// Deletes only users made for the purpose, also where the server must refuse.
const deleteUser = operation('/{org}/{app}/users/{user}', 'Delete a user');
hooks.before(deleteUser(200), step(async (t) => { asAppClient(t); at(t, { user: await freshUser() }); }));
hooks.before(deleteUser(401), step(async (t) => { withUnknownToken(t); at(t, { user: await freshUser() }); }));
hooks.before(deleteUser(403), step(async (t) => { asOutsider(t); at(t, { user: await freshUser() }); }));
hooks.before(deleteUser(404), (t) => { asSuperuser(t); at(t, noUser); });

// Password changes and (de)activation touch only users made for the purpose. Their 429s are
// 90-throttled-clients' (a throttled client pair in the query string).
const changeUserPassword = operation('/{org}/{app}/users/{user}/password', "Change an application user's password");
const newPassword = { newpassword: 'set-by-the-admin' };
hooks.before(changeUserPassword(200), step(async (t) => { asOrgAdmin(t); at(t, { user: await freshUser() }); withBody(t, newPassword); }));
hooks.before(changeUserPassword(400), step(async (t) => { asOrgAdmin(t); at(t, { user: await freshUser() }); withBody(t, { newpassword: 'short' }); }));
hooks.before(changeUserPassword(401), step(async (t) => { withUnknownToken(t); at(t, { user: await freshUser() }); withBody(t, newPassword); }));
hooks.before(changeUserPassword(403), step(async (t) => { asOutsider(t); at(t, { user: await freshUser() }); withBody(t, newPassword); }));
hooks.before(changeUserPassword(404), (t) => { asSuperuser(t); at(t, noUser); withBody(t, newPassword); });

for (const [path, summary] of [['/{org}/{app}/users/{user}/deactivate', 'Deactivate an application user'], ['/{org}/{app}/users/{user}/activate', 'Activate an application user']] as const) {
  const activation = operation(path, summary);
  hooks.before(activation(200), step(async (t) => { asOrgAdmin(t); at(t, { user: await freshUser() }); }));
  hooks.before(activation(401), step(async (t) => { withUnknownToken(t); at(t, { user: await freshUser() }); }));
  hooks.before(activation(403), step(async (t) => { asOutsider(t); at(t, { user: await freshUser() }); }));
  hooks.before(activation(404), (t) => { asSuperuser(t); at(t, noUser); });
}
