import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from './permission-handlers.js';

/** `PUT` of `grantRolePermission`. */
export const grantRolePermissionByPut = (deps: Deps): OperationHandler<'grantRolePermissionByPut'> => permissionHandlers(deps, 'role').grant('put');
