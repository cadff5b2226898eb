import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../permission-handlers.js';

/** `GET /{org}/{app}/roles/{role}/permissions`. */
export const listRolePermissions = (deps: Deps): OperationHandler<'listRolePermissions'> => permissionHandlers(deps, 'role').list;
