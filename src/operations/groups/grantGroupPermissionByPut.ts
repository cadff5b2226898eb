import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../roles/permission-handlers.js';

/** `PUT` of `grantGroupPermission`. */
export const grantGroupPermissionByPut = (deps: Deps): OperationHandler<'grantGroupPermissionByPut'> => permissionHandlers(deps, 'group').grant('put');
