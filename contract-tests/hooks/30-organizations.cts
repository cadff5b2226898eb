/** /management/orgs, /management/orgs/{org} and the organization's client credentials. */
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');

const { fixtures, unique, newAdmin, freshOrganization } = fixturesModule;
const { operation, at, withBody, step, asSuperuser, asOrgAdmin, asOrgAdminInQuery, asOutsider, asOrgClient, withUnknownToken } = requests;

const newOrganization = () => ({ organization: unique('org'), ...newAdmin('admin'), name: 'Contract Admin' });
const nowhere = { org: 'no-such-organization' };

const listOrganizations = operation('/management/orgs', 'List the organizations the caller administers');
hooks.before(listOrganizations(200), asOrgAdminInQuery);
hooks.before(listOrganizations(401), withUnknownToken);

const createOrganization = operation('/management/orgs', 'Create an organization and its first admin user');
hooks.before(createOrganization(200), (t) => { asSuperuser(t); withBody(t, newOrganization()); });
hooks.before(createOrganization(400), (t) => { asSuperuser(t); withBody(t, { ...newOrganization(), organization: 'Not A Valid Name!' }); });
hooks.before(createOrganization(401), (t) => { withUnknownToken(t); withBody(t, newOrganization()); });
// Sign-up is off (server.ts), so only the superuser may create organizations.
hooks.before(createOrganization(403), (t) => { asOrgAdmin(t); withBody(t, newOrganization()); });
hooks.before(createOrganization(409), (t) => { asSuperuser(t); withBody(t, { ...newOrganization(), organization: fixtures().organization }); });

const readOrganization = operation('/management/orgs/{org}', 'Read an organization');
hooks.before(readOrganization(200), asOrgClient);
hooks.before(readOrganization(401), withUnknownToken);
hooks.before(readOrganization(403), asOutsider);
hooks.before(readOrganization(404), (t) => { asSuperuser(t); at(t, nowhere); });

const showCredentials = operation('/management/orgs/{org}/credentials', "Show the organization's client id");
hooks.before(showCredentials(200), asOrgAdmin);
hooks.before(showCredentials(401), withUnknownToken);
hooks.before(showCredentials(403), asOutsider);
hooks.before(showCredentials(404), (t) => { asSuperuser(t); at(t, nowhere); });

// Rotating the demo organization's secret would break every hook that signs in with it, so these
// act on an organization of their own, even the ones that must be refused.
const rotateCredentials = operation('/management/orgs/{org}/credentials', 'Issue a new client secret for the organization');
hooks.before(rotateCredentials(200), step(async (t) => { asSuperuser(t); at(t, { org: await freshOrganization() }); }));
hooks.before(rotateCredentials(401), step(async (t) => { withUnknownToken(t); at(t, { org: await freshOrganization() }); }));
hooks.before(rotateCredentials(403), step(async (t) => { asOutsider(t); at(t, { org: await freshOrganization() }); }));
hooks.before(rotateCredentials(404), (t) => { asSuperuser(t); at(t, nowhere); });
