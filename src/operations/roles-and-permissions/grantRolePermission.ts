import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../permission-handlers.js';

/** `POST /{org}/{app}/roles/{role}/permissions` with `{"permission": "…"}`. */
export const grantRolePermission = (deps: Deps): OperationHandler<'grantRolePermission'> => permissionHandlers(deps, 'role').grant('post');

/** `PUT` of `grantRolePermission`, which Usergrid accepts alike: its own operationId in the spec, the same handling. */
export const grantRolePermissionByPut = (deps: Deps): OperationHandler<'grantRolePermissionByPut'> => permissionHandlers(deps, 'role').grant('put');
