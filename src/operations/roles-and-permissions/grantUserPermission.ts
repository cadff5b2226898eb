import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../permission-handlers.js';

/** `POST /{org}/{app}/users/{user}/permissions` with `{"permission": "…"}`. */
export const grantUserPermission = (deps: Deps): OperationHandler<'grantUserPermission'> => permissionHandlers(deps, 'user').grant('post');

/** `PUT` of `grantUserPermission`, which Usergrid accepts alike: its own operationId in the spec, the same handling. */
export const grantUserPermissionByPut = (deps: Deps): OperationHandler<'grantUserPermissionByPut'> => permissionHandlers(deps, 'user').grant('put');
