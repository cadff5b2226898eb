import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../permission-handlers.js';

/** `DELETE /{org}/{app}/roles/{role}/permissions?permission=…`. */
export const revokeRolePermission = (deps: Deps): OperationHandler<'revokeRolePermission'> => permissionHandlers(deps, 'role').revoke;
