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
import { changeUserPassword } from './application-data/changeUserPassword.js';
import { deactivateUser } from './application-data/deactivateUser.js';
import { activateUser } from './application-data/activateUser.js';
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
import { getAdminUser } from './management/getAdminUser.js';
import { updateAdminUser } from './management/updateAdminUser.js';
import { listOrganizationAdmins } from './management/listOrganizationAdmins.js';
import { addOrganizationAdmin } from './management/addOrganizationAdmin.js';
import { removeOrganizationAdmin } from './management/removeOrganizationAdmin.js';
import { listAuditEvents } from './management/listAuditEvents.js';
import { createApiToken } from './tokens/createApiToken.js';
import { createApplicationToken } from './tokens/createApplicationToken.js';
import { createManagementMe } from './tokens/createManagementMe.js';
import { createManagementToken } from './tokens/createManagementToken.js';
import { getApplicationToken } from './tokens/getApplicationToken.js';
import { getManagementMe } from './tokens/getManagementMe.js';
import { getManagementToken } from './tokens/getManagementToken.js';
import { getUserToken } from './tokens/getUserToken.js';
import { listApiTokens } from './tokens/listApiTokens.js';
import { changeAdminUserPassword } from './tokens/changeAdminUserPassword.js';
import { revokeAdminUserToken, revokeAdminUserTokenByPut } from './tokens/revokeAdminUserToken.js';
import { revokeAdminUserTokens, revokeAdminUserTokensByPut } from './tokens/revokeAdminUserTokens.js';
import { revokeApiToken } from './tokens/revokeApiToken.js';
import { revokeUserToken, revokeUserTokenByPut } from './tokens/revokeUserToken.js';
import { revokeUserTokens, revokeUserTokensByPut } from './tokens/revokeUserTokens.js';

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
import { deleteQuickBloxUser } from './quickblox/deleteQuickBloxUser.js';
import { deleteQuickBloxUserByExternal } from './quickblox/deleteQuickBloxUserByExternal.js';
import { getAccountSettings } from './quickblox/getAccountSettings.js';
import { getQuickBloxUser } from './quickblox/getQuickBloxUser.js';
import { getQuickBloxUserByEmail } from './quickblox/getQuickBloxUserByEmail.js';
import { getQuickBloxUserByExternal } from './quickblox/getQuickBloxUserByExternal.js';
import { getQuickBloxUserByExternalId } from './quickblox/getQuickBloxUserByExternalId.js';
import { getQuickBloxUserByLogin } from './quickblox/getQuickBloxUserByLogin.js';
import { getSession } from './quickblox/getSession.js';
import { listCustomObjects } from './quickblox/listCustomObjects.js';
import { listQuickBloxUsers } from './quickblox/listQuickBloxUsers.js';
import { login } from './quickblox/login.js';
import { logout } from './quickblox/logout.js';
import { updateCustomObject } from './quickblox/updateCustomObject.js';
import { updateQuickBloxUser } from './quickblox/updateQuickBloxUser.js';
import { addRoleUser } from './roles-and-permissions/addRoleUser.js';
import { addUserRole } from './roles-and-permissions/addUserRole.js';
import { createRole } from './roles-and-permissions/createRole.js';
import { deleteRole } from './roles-and-permissions/deleteRole.js';
import { getRole } from './roles-and-permissions/getRole.js';
import { getUserRole } from './roles-and-permissions/getUserRole.js';
import { grantRolePermission, grantRolePermissionByPut } from './roles-and-permissions/grantRolePermission.js';
import { grantUserPermission, grantUserPermissionByPut } from './roles-and-permissions/grantUserPermission.js';
import { listRolePermissions } from './roles-and-permissions/listRolePermissions.js';
import { listRoleUsers } from './roles-and-permissions/listRoleUsers.js';
import { listRoles } from './roles-and-permissions/listRoles.js';
import { listUserPermissions } from './roles-and-permissions/listUserPermissions.js';
import { listUserRoles } from './roles-and-permissions/listUserRoles.js';
import { removeRoleUser } from './roles-and-permissions/removeRoleUser.js';
import { removeUserRole } from './roles-and-permissions/removeUserRole.js';
import { revokeRolePermission } from './roles-and-permissions/revokeRolePermission.js';
import { revokeUserPermission } from './roles-and-permissions/revokeUserPermission.js';
import { updateRole } from './roles-and-permissions/updateRole.js';
import { addGroupRole } from './roles-and-permissions/addGroupRole.js';
import { addGroupUser } from './roles-and-permissions/addGroupUser.js';
import { createGroup } from './roles-and-permissions/createGroup.js';
import { deleteGroup } from './roles-and-permissions/deleteGroup.js';
import { getGroup } from './roles-and-permissions/getGroup.js';
import { grantGroupPermission, grantGroupPermissionByPut } from './roles-and-permissions/grantGroupPermission.js';
import { listGroupPermissions } from './roles-and-permissions/listGroupPermissions.js';
import { listGroupRoles } from './roles-and-permissions/listGroupRoles.js';
import { listGroupUsers } from './roles-and-permissions/listGroupUsers.js';
import { listGroups } from './roles-and-permissions/listGroups.js';
import { removeGroupRole } from './roles-and-permissions/removeGroupRole.js';
import { addRoleGroup } from './roles-and-permissions/addRoleGroup.js';
import { listRoleGroups } from './roles-and-permissions/listRoleGroups.js';
import { removeRoleGroup } from './roles-and-permissions/removeRoleGroup.js';
import { removeGroupUser } from './roles-and-permissions/removeGroupUser.js';
import { revokeGroupPermission } from './roles-and-permissions/revokeGroupPermission.js';
import { updateGroup } from './roles-and-permissions/updateGroup.js';
/** One handler per operationId of openapi.yaml, keyed by it; `satisfies` makes a gap a compile error. */
export const createHandlers = (deps: Deps) =>
  ({
    listOrganizations: listOrganizations(deps),
    createOrganization: createOrganization(deps),
    getOrganization: getOrganization(deps),
    getOrganizationCredentials: getOrganizationCredentials(deps),
    rotateOrganizationCredentials: rotateOrganizationCredentials(deps),
    listOrganizationAdmins: listOrganizationAdmins(deps),
    listAuditEvents: listAuditEvents(deps),
    addOrganizationAdmin: addOrganizationAdmin(deps),
    removeOrganizationAdmin: removeOrganizationAdmin(deps),
    getAdminUser: getAdminUser(deps),
    updateAdminUser: updateAdminUser(deps),
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
    changeUserPassword: changeUserPassword(deps),
    deactivateUser: deactivateUser(deps),
    activateUser: activateUser(deps),
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
    changeAdminUserPassword: changeAdminUserPassword(deps),
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
    getQuickBloxUserByLogin: getQuickBloxUserByLogin(deps),
    getQuickBloxUserByEmail: getQuickBloxUserByEmail(deps),
    getQuickBloxUserByExternalId: getQuickBloxUserByExternalId(deps),
    getQuickBloxUserByExternal: getQuickBloxUserByExternal(deps),
    deleteQuickBloxUser: deleteQuickBloxUser(deps),
    deleteQuickBloxUserByExternal: deleteQuickBloxUserByExternal(deps),
    getAccountSettings: getAccountSettings(deps),
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
    addRoleGroup: addRoleGroup(deps),
    listRoleGroups: listRoleGroups(deps),
    removeRoleGroup: removeRoleGroup(deps),
    removeGroupUser: removeGroupUser(deps),
    revokeGroupPermission: revokeGroupPermission(deps),
    updateGroup: updateGroup(deps),
  }) satisfies OperationHandlers;
