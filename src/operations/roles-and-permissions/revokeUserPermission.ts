import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../permission-handlers.js';

/** `DELETE /{org}/{app}/users/{user}/permissions?permission=…`. */
export const revokeUserPermission = (deps: Deps): OperationHandler<'revokeUserPermission'> => permissionHandlers(deps, 'user').revoke;
