import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../permission-handlers.js';

/** `POST /{org}/{app}/groups/{group}/permissions` with `{"permission": "…"}`. */
export const grantGroupPermission = (deps: Deps): OperationHandler<'grantGroupPermission'> => permissionHandlers(deps, 'group').grant('post');

/** `PUT` of `grantGroupPermission`, which Usergrid accepts alike: its own operationId in the spec, the same handling. */
export const grantGroupPermissionByPut = (deps: Deps): OperationHandler<'grantGroupPermissionByPut'> => permissionHandlers(deps, 'group').grant('put');
