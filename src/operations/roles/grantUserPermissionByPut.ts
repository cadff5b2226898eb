import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from './permission-handlers.js';

/** `PUT` of `grantUserPermission`. */
export const grantUserPermissionByPut = (deps: Deps): OperationHandler<'grantUserPermissionByPut'> => permissionHandlers(deps, 'user').grant('put');
