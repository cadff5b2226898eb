/** /{org}/{app}/{collection} and /{org}/{app}/{collection}/{entity} (the cats of the demo application). */
import hooks = require('hooks');
import fixturesModule = require('../support/fixtures.cjs');
import requests = require('../support/requests.cjs');

const { fixtures, unique, freshEntity } = fixturesModule;
const { operation, at, withQuery, withBody, step, asSuperuser, asOrgAdmin, asOrgAdminInQuery, asOutsider, asAppClient, withUnknownToken } = requests;

const newCat = () => ({ name: unique('cat'), color: 'grey', lives: 9 });
const change = { color: 'black' };
const noApplication = { app: 'no-such-application' };
const noEntity = { entity: 'no-such-entity' };

const listEntities = operation('/{org}/{app}/{collection}', "List a collection's entities");
// A page smaller than the collection, so the answer has a `cursor` as well.
hooks.before(listEntities(200), (t) => { asAppClient(t); withQuery(t, { limit: '1' }); });
// `credentials` is a name with a meaning of its own, not a collection of entities.
hooks.before(listEntities(400), (t) => { asAppClient(t); at(t, { collection: 'credentials' }); });
hooks.before(listEntities(401), withUnknownToken);
hooks.before(listEntities(403), asOutsider);
hooks.before(listEntities(404), (t) => { asSuperuser(t); at(t, noApplication); });

const createEntity = operation('/{org}/{app}/{collection}', 'Create an entity in a collection');
hooks.before(createEntity(200), (t) => { asOrgAdmin(t); withBody(t, newCat()); });
hooks.before(createEntity(400), (t) => { asOrgAdmin(t); withBody(t, { name: '' }); });
hooks.before(createEntity(401), (t) => { withUnknownToken(t); withBody(t, newCat()); });
hooks.before(createEntity(403), (t) => { asOutsider(t); withBody(t, newCat()); });
hooks.before(createEntity(404), (t) => { asSuperuser(t); at(t, noApplication); withBody(t, newCat()); });
hooks.before(createEntity(409), (t) => { asAppClient(t); withBody(t, { ...newCat(), name: fixtures().entity }); });

const readEntity = operation('/{org}/{app}/{collection}/{entity}', 'Read an entity by uuid or name');
hooks.before(readEntity(200), asOrgAdminInQuery);
hooks.before(readEntity(401), withUnknownToken);
hooks.before(readEntity(403), asOutsider);
hooks.before(readEntity(404), (t) => { asSuperuser(t); at(t, noEntity); });

const updateEntity = operation('/{org}/{app}/{collection}/{entity}', 'Change an entity');
hooks.before(updateEntity(200), step(async (t) => { asAppClient(t); at(t, { entity: await freshEntity() }); withBody(t, change); }));
hooks.before(updateEntity(400), (t) => { asOrgAdmin(t); withBody(t, { name: '' }); });
hooks.before(updateEntity(401), (t) => { withUnknownToken(t); withBody(t, change); });
hooks.before(updateEntity(403), (t) => { asOutsider(t); withBody(t, change); });
hooks.before(updateEntity(404), (t) => { asSuperuser(t); at(t, noEntity); withBody(t, change); });
hooks.before(updateEntity(409), (t) => { asOrgAdmin(t); withBody(t, { name: fixtures().otherEntity }); });

// Deletes only cats made for the purpose, also where the server must refuse.
const deleteEntity = operation('/{org}/{app}/{collection}/{entity}', 'Delete an entity');
hooks.before(deleteEntity(200), step(async (t) => { asOrgAdmin(t); at(t, { entity: await freshEntity() }); }));
hooks.before(deleteEntity(401), step(async (t) => { withUnknownToken(t); at(t, { entity: await freshEntity() }); }));
hooks.before(deleteEntity(403), step(async (t) => { asOutsider(t); at(t, { entity: await freshEntity() }); }));
hooks.before(deleteEntity(404), (t) => { asSuperuser(t); at(t, noEntity); });
