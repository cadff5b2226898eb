import type { Deps } from '../deps.js';
import type { OperationHandlers } from './types.js';
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
import { createApiToken } from './tokens/createApiToken.js';
import { createApplicationToken } from './tokens/createApplicationToken.js';
import { createManagementMe } from './tokens/createManagementMe.js';
import { createManagementToken } from './tokens/createManagementToken.js';
import { getApplicationToken } from './tokens/getApplicationToken.js';
import { getManagementMe } from './tokens/getManagementMe.js';
import { getManagementToken } from './tokens/getManagementToken.js';
import { getUserToken } from './tokens/getUserToken.js';
import { listApiTokens } from './tokens/listApiTokens.js';
import { revokeAdminUserToken } from './tokens/revokeAdminUserToken.js';
import { revokeAdminUserTokenByPut } from './tokens/revokeAdminUserTokenByPut.js';
import { revokeAdminUserTokens } from './tokens/revokeAdminUserTokens.js';
import { revokeAdminUserTokensByPut } from './tokens/revokeAdminUserTokensByPut.js';
import { revokeApiToken } from './tokens/revokeApiToken.js';
import { revokeUserToken } from './tokens/revokeUserToken.js';
import { revokeUserTokenByPut } from './tokens/revokeUserTokenByPut.js';
import { revokeUserTokens } from './tokens/revokeUserTokens.js';
import { revokeUserTokensByPut } from './tokens/revokeUserTokensByPut.js';

import { createOAuthClient } from './oauth/createOAuthClient.js';
import { deleteOAuthClient } from './oauth/deleteOAuthClient.js';
import { listOAuthClients } from './oauth/listOAuthClients.js';
import { oauthAuthorize } from './oauth/oauthAuthorize.js';
import { oauthConsent } from './oauth/oauthConsent.js';
import { oauthIntrospect } from './oauth/oauthIntrospect.js';
import { oauthLogin } from './oauth/oauthLogin.js';
import { oauthMetadata } from './oauth/oauthMetadata.js';
import { oauthRevoke } from './oauth/oauthRevoke.js';
import { oauthToken } from './oauth/oauthToken.js';
import { createCustomObject } from './quickblox/createCustomObject.js';
import { createQuickBloxUser } from './quickblox/createQuickBloxUser.js';
import { createSession } from './quickblox/createSession.js';
import { deleteCustomObject } from './quickblox/deleteCustomObject.js';
import { deleteSession } from './quickblox/deleteSession.js';
import { getCustomObject } from './quickblox/getCustomObject.js';
import { getQuickBloxUser } from './quickblox/getQuickBloxUser.js';
import { getSession } from './quickblox/getSession.js';
import { listCustomObjects } from './quickblox/listCustomObjects.js';
import { listQuickBloxUsers } from './quickblox/listQuickBloxUsers.js';
import { login } from './quickblox/login.js';
import { logout } from './quickblox/logout.js';
import { updateCustomObject } from './quickblox/updateCustomObject.js';
import { updateQuickBloxUser } from './quickblox/updateQuickBloxUser.js';
import { addRoleUser } from './roles/addRoleUser.js';
import { addUserRole } from './roles/addUserRole.js';
import { createRole } from './roles/createRole.js';
import { deleteRole } from './roles/deleteRole.js';
import { getRole } from './roles/getRole.js';
import { getUserRole } from './roles/getUserRole.js';
import { grantRolePermission } from './roles/grantRolePermission.js';
import { grantRolePermissionByPut } from './roles/grantRolePermissionByPut.js';
import { grantUserPermission } from './roles/grantUserPermission.js';
import { grantUserPermissionByPut } from './roles/grantUserPermissionByPut.js';
import { listRolePermissions } from './roles/listRolePermissions.js';
import { listRoleUsers } from './roles/listRoleUsers.js';
import { listRoles } from './roles/listRoles.js';
import { listUserPermissions } from './roles/listUserPermissions.js';
import { listUserRoles } from './roles/listUserRoles.js';
import { removeRoleUser } from './roles/removeRoleUser.js';
import { removeUserRole } from './roles/removeUserRole.js';
import { revokeRolePermission } from './roles/revokeRolePermission.js';
import { revokeUserPermission } from './roles/revokeUserPermission.js';
import { updateRole } from './roles/updateRole.js';
import { addGroupRole } from './groups/addGroupRole.js';
import { addGroupUser } from './groups/addGroupUser.js';
import { createGroup } from './groups/createGroup.js';
import { deleteGroup } from './groups/deleteGroup.js';
import { getGroup } from './groups/getGroup.js';
import { grantGroupPermission } from './groups/grantGroupPermission.js';
import { grantGroupPermissionByPut } from './groups/grantGroupPermissionByPut.js';
import { listGroupPermissions } from './groups/listGroupPermissions.js';
import { listGroupRoles } from './groups/listGroupRoles.js';
import { listGroupUsers } from './groups/listGroupUsers.js';
import { listGroups } from './groups/listGroups.js';
import { removeGroupRole } from './groups/removeGroupRole.js';
import { removeGroupUser } from './groups/removeGroupUser.js';
import { revokeGroupPermission } from './groups/revokeGroupPermission.js';
import { updateGroup } from './groups/updateGroup.js';
/** One handler per operationId of openapi.yaml, keyed by it; `satisfies` makes a gap a compile error. */
export const createHandlers = (deps: Deps) =>
  ({
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
    createApiToken: createApiToken(deps),
    createApplicationToken: createApplicationToken(deps),
    createManagementMe: createManagementMe(deps),
    createManagementToken: createManagementToken(deps),
    getApplicationToken: getApplicationToken(deps),
    getManagementMe: getManagementMe(deps),
    getManagementToken: getManagementToken(deps),
    getUserToken: getUserToken(deps),
    listApiTokens: listApiTokens(deps),
    revokeAdminUserToken: revokeAdminUserToken(deps),
    revokeAdminUserTokenByPut: revokeAdminUserTokenByPut(deps),
    revokeAdminUserTokens: revokeAdminUserTokens(deps),
    revokeAdminUserTokensByPut: revokeAdminUserTokensByPut(deps),
    revokeApiToken: revokeApiToken(deps),
    revokeUserToken: revokeUserToken(deps),
    revokeUserTokenByPut: revokeUserTokenByPut(deps),
    revokeUserTokens: revokeUserTokens(deps),
    revokeUserTokensByPut: revokeUserTokensByPut(deps),
    oauthMetadata: oauthMetadata(deps),
    oauthAuthorize: oauthAuthorize(deps),
    oauthLogin: oauthLogin(deps),
    oauthConsent: oauthConsent(deps),
    oauthToken: oauthToken(deps),
    oauthRevoke: oauthRevoke(deps),
    oauthIntrospect: oauthIntrospect(deps),
    listOAuthClients: listOAuthClients(deps),
    createOAuthClient: createOAuthClient(deps),
    deleteOAuthClient: deleteOAuthClient(deps),
    createSession: createSession(deps),
    getSession: getSession(deps),
    deleteSession: deleteSession(deps),
    login: login(deps),
    logout: logout(deps),
    listQuickBloxUsers: listQuickBloxUsers(deps),
    createQuickBloxUser: createQuickBloxUser(deps),
    getQuickBloxUser: getQuickBloxUser(deps),
    updateQuickBloxUser: updateQuickBloxUser(deps),
    listCustomObjects: listCustomObjects(deps),
    createCustomObject: createCustomObject(deps),
    getCustomObject: getCustomObject(deps),
    updateCustomObject: updateCustomObject(deps),
    deleteCustomObject: deleteCustomObject(deps),
    addRoleUser: addRoleUser(deps),
    addUserRole: addUserRole(deps),
    createRole: createRole(deps),
    deleteRole: deleteRole(deps),
    getRole: getRole(deps),
    getUserRole: getUserRole(deps),
    grantRolePermission: grantRolePermission(deps),
    grantRolePermissionByPut: grantRolePermissionByPut(deps),
    grantUserPermission: grantUserPermission(deps),
    grantUserPermissionByPut: grantUserPermissionByPut(deps),
    listRolePermissions: listRolePermissions(deps),
    listRoleUsers: listRoleUsers(deps),
    listRoles: listRoles(deps),
    listUserPermissions: listUserPermissions(deps),
    listUserRoles: listUserRoles(deps),
    removeRoleUser: removeRoleUser(deps),
    removeUserRole: removeUserRole(deps),
    revokeRolePermission: revokeRolePermission(deps),
    revokeUserPermission: revokeUserPermission(deps),
    updateRole: updateRole(deps),
    addGroupRole: addGroupRole(deps),
    addGroupUser: addGroupUser(deps),
    createGroup: createGroup(deps),
    deleteGroup: deleteGroup(deps),
    getGroup: getGroup(deps),
    grantGroupPermission: grantGroupPermission(deps),
    grantGroupPermissionByPut: grantGroupPermissionByPut(deps),
    listGroupPermissions: listGroupPermissions(deps),
    listGroupRoles: listGroupRoles(deps),
    listGroupUsers: listGroupUsers(deps),
    listGroups: listGroups(deps),
    removeGroupRole: removeGroupRole(deps),
    removeGroupUser: removeGroupUser(deps),
    revokeGroupPermission: revokeGroupPermission(deps),
    updateGroup: updateGroup(deps),
  }) satisfies OperationHandlers;
