/** /management/orgs/{org}/apps, one application, its settings and its credentials. */
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');

const { fixtures, unique, freshApplication } = fixturesModule;
const { operation, at, withBody, step, asSuperuser, asOrgAdmin, asOrgAdminInQuery, asOutsider, asOrgClient, withUnknownToken } = requests;

const newApplication = () => ({ name: unique('app') });
const settings = { accesstokenttl: 86400000, sessionttl: 7200 };
const nowhere = { org: 'no-such-organization' };
const noApplication = { app: 'no-such-application' };

const listApplications = operation('/management/orgs/{org}/apps', "List the organization's applications");
hooks.before(listApplications(200), asOrgClient);
hooks.before(listApplications(401), withUnknownToken);
hooks.before(listApplications(403), asOutsider);
hooks.before(listApplications(404), (t) => { asSuperuser(t); at(t, nowhere); });

const createApplication = operation('/management/orgs/{org}/apps', 'Create an application');
hooks.before(createApplication(200), (t) => { asOrgAdmin(t); withBody(t, newApplication()); });
hooks.before(createApplication(400), (t) => { asOrgAdmin(t); withBody(t, { name: 'Not A Valid Name!' }); });
hooks.before(createApplication(401), (t) => { withUnknownToken(t); withBody(t, newApplication()); });
hooks.before(createApplication(403), (t) => { asOutsider(t); withBody(t, newApplication()); });
hooks.before(createApplication(404), (t) => { asSuperuser(t); at(t, nowhere); withBody(t, newApplication()); });
hooks.before(createApplication(409), (t) => { asOrgAdmin(t); withBody(t, { name: fixtures().application }); });

const readApplication = operation('/management/orgs/{org}/apps/{app}', 'Read an application');
hooks.before(readApplication(200), asOrgAdminInQuery);
hooks.before(readApplication(401), withUnknownToken);
hooks.before(readApplication(403), asOutsider);
hooks.before(readApplication(404), (t) => { asSuperuser(t); at(t, noApplication); });

// New settings on an application of its own, so the demo application stays as seeded.
const updateApplication = operation('/management/orgs/{org}/apps/{app}', "Change an application's settings");
hooks.before(updateApplication(200), step(async (t) => { asOrgAdmin(t); at(t, { app: await freshApplication() }); withBody(t, settings); }));
hooks.before(updateApplication(400), (t) => { asOrgAdmin(t); withBody(t, { sessionttl: 1 }); });
hooks.before(updateApplication(401), (t) => { withUnknownToken(t); withBody(t, settings); });
hooks.before(updateApplication(403), (t) => { asOutsider(t); withBody(t, settings); });
hooks.before(updateApplication(404), (t) => { asSuperuser(t); at(t, noApplication); withBody(t, settings); });

const showCredentials = operation('/management/orgs/{org}/apps/{app}/credentials', "Show the application's client id and QuickBlox keys");
hooks.before(showCredentials(200), asOrgAdmin);
hooks.before(showCredentials(401), withUnknownToken);
hooks.before(showCredentials(403), asOutsider);
hooks.before(showCredentials(404), (t) => { asSuperuser(t); at(t, noApplication); });

// The demo application's client secret signs in other hooks: rotate only applications made here.
const rotateCredentials = operation('/management/orgs/{org}/apps/{app}/credentials', 'Issue a new client secret and QuickBlox auth secret');
hooks.before(rotateCredentials(200), step(async (t) => { asOrgAdmin(t); at(t, { app: await freshApplication() }); }));
hooks.before(rotateCredentials(401), step(async (t) => { withUnknownToken(t); at(t, { app: await freshApplication() }); }));
hooks.before(rotateCredentials(403), step(async (t) => { asOutsider(t); at(t, { app: await freshApplication() }); }));
hooks.before(rotateCredentials(404), (t) => { asSuperuser(t); at(t, noApplication); });
