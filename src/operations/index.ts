import type { Deps } from '../deps.js';
import type { OperationHandlers } from '../http/operation-types.js';
import { createEntity } from './application-data/createEntity.js';
import { createUser } from './application-data/createUser.js';
import { deleteEntity } from './application-data/deleteEntity.js';
import { deleteUser } from './application-data/deleteUser.js';
import { getEntity } from './application-data/getEntity.js';
import { getUser } from './application-data/getUser.js';
import { listEntities } from './application-data/listEntities.js';
import { listUsers } from './application-data/listUsers.js';
import { updateEntity } from './application-data/updateEntity.js';
import { updateUser } from './application-data/updateUser.js';
import { createApplication } from './management/createApplication.js';
import { createManagementToken } from './management/createManagementToken.js';
import { createOrganization } from './management/createOrganization.js';
import { getApplication } from './management/getApplication.js';
import { getApplicationCredentials } from './management/getApplicationCredentials.js';
import { getOrganization } from './management/getOrganization.js';
import { getOrganizationCredentials } from './management/getOrganizationCredentials.js';
import { listApplications } from './management/listApplications.js';
import { listOrganizations } from './management/listOrganizations.js';
import { rotateApplicationCredentials } from './management/rotateApplicationCredentials.js';
import { rotateOrganizationCredentials } from './management/rotateOrganizationCredentials.js';
import { updateApplication } from './management/updateApplication.js';

/** One handler per operationId of openapi.yaml, keyed by it; `satisfies` makes a gap a compile error. */
export const createHandlers = (deps: Deps) =>
  ({
    createManagementToken: createManagementToken(deps),
    listOrganizations: listOrganizations(deps),
    createOrganization: createOrganization(deps),
    getOrganization: getOrganization(deps),
    getOrganizationCredentials: getOrganizationCredentials(deps),
    rotateOrganizationCredentials: rotateOrganizationCredentials(deps),
    listApplications: listApplications(deps),
    createApplication: createApplication(deps),
    getApplication: getApplication(deps),
    updateApplication: updateApplication(deps),
    getApplicationCredentials: getApplicationCredentials(deps),
    rotateApplicationCredentials: rotateApplicationCredentials(deps),
    listUsers: listUsers(deps),
    createUser: createUser(deps),
    getUser: getUser(deps),
    updateUser: updateUser(deps),
    deleteUser: deleteUser(deps),
    listEntities: listEntities(deps),
    createEntity: createEntity(deps),
    getEntity: getEntity(deps),
    updateEntity: updateEntity(deps),
    deleteEntity: deleteEntity(deps),
  }) satisfies OperationHandlers;
