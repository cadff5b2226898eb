/**
 * Admin users: /management/users/{user} (read, change) and the admins of an organization
 * (/management/orgs/{org}/users: list, add, remove). The demo admin is never changed or removed:
 * the transactions that change or remove an admin act on one made for them. The 429s of the
 * routes that take a client pair are 90-throttled-clients'.
 */
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');

const { fixtures, freshAdminUser, freshOrganizationWithTwoAdmins } = fixturesModule;
const { operation, at, withBody, withQuery, step, asSuperuser, asOrgAdmin, asOutsider, withUnknownToken } = requests;

const noAdmin = { user: 'no-such-admin' };
const nowhere = { org: 'no-such-organization' };

const getAdminUser = operation('/management/users/{user}', 'Read an admin user and their organizations');
hooks.before(getAdminUser(200), (t) => { asOrgAdmin(t); at(t, { user: 'me' }); });
hooks.before(getAdminUser(401), withUnknownToken);
hooks.before(getAdminUser(403), asOutsider);
hooks.before(getAdminUser(404), (t) => { asSuperuser(t); at(t, noAdmin); });

const updateAdminUser = operation('/management/users/{user}', "Change an admin user's name or email");
hooks.before(updateAdminUser(200), step(async (t) => {
  const admin = await freshAdminUser();
  asSuperuser(t);
  at(t, { user: admin.username });
  withBody(t, { name: 'Renamed Admin', email: `renamed-${admin.email}` });
}));
hooks.before(updateAdminUser(400), (t) => { asSuperuser(t); withBody(t, { email: 'not-an-email' }); });
hooks.before(updateAdminUser(401), withUnknownToken);
hooks.before(updateAdminUser(403), asOutsider);
hooks.before(updateAdminUser(404), (t) => { asSuperuser(t); at(t, noAdmin); });
hooks.before(updateAdminUser(409), step(async (t) => {
  const [admin, other] = await Promise.all([freshAdminUser(), freshAdminUser()]);
  asSuperuser(t);
  at(t, { user: admin.username });
  withBody(t, { email: other.email.toUpperCase() });
}));

const listOrganizationAdmins = operation('/management/orgs/{org}/users', "List the organization's admin users");
hooks.before(listOrganizationAdmins(200), asOrgAdmin);
hooks.before(listOrganizationAdmins(401), withUnknownToken);
hooks.before(listOrganizationAdmins(403), asOutsider);
hooks.before(listOrganizationAdmins(404), (t) => { asSuperuser(t); at(t, nowhere); });

// Adding the caller to their own organization changes nothing (idempotent), so the demo stays as it is.
const addOrganizationAdmin = operation('/management/orgs/{org}/users/{user}', 'Make an existing admin user an admin of the organization');
hooks.before(addOrganizationAdmin(200), (t) => { asOrgAdmin(t); at(t, { user: 'me' }); });
hooks.before(addOrganizationAdmin(400), (t) => { asSuperuser(t); at(t, { user: 'me' }); });
hooks.before(addOrganizationAdmin(401), withUnknownToken);
hooks.before(addOrganizationAdmin(403), asOutsider);
hooks.before(addOrganizationAdmin(404), (t) => { asOrgAdmin(t); at(t, noAdmin); });

const removeOrganizationAdmin = operation('/management/orgs/{org}/users/{user}', 'Remove an admin user from the organization');
hooks.before(removeOrganizationAdmin(200), step(async (t) => {
  asSuperuser(t);
  at(t, { org: await freshOrganizationWithTwoAdmins(), user: fixtures().admin.username });
}));
hooks.before(removeOrganizationAdmin(401), withUnknownToken);
hooks.before(removeOrganizationAdmin(403), asOutsider);
hooks.before(removeOrganizationAdmin(404), (t) => { asSuperuser(t); at(t, noAdmin); });
// The last admin of an organization of its own: refused, and nothing else is touched.
hooks.before(removeOrganizationAdmin(409), step(async (t) => {
  const admin = await freshAdminUser();
  asSuperuser(t);
  at(t, { org: admin.organization, user: admin.username });
}));

// The demo organization's events (what the run has done so far, and its demo sign-in failures).
const listAuditEvents = operation('/management/orgs/{org}/audit-events', "List the organization's audit events, newest first");
hooks.before(listAuditEvents(200), asOrgAdmin);
hooks.before(listAuditEvents(400), (t) => { asOrgAdmin(t); withQuery(t, { kind: 'no-such-kind' }); });
hooks.before(listAuditEvents(401), withUnknownToken);
hooks.before(listAuditEvents(403), asOutsider);
hooks.before(listAuditEvents(404), (t) => { asSuperuser(t); at(t, nowhere); });
