import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../permission-handlers.js';

/** `DELETE /{org}/{app}/groups/{group}/permissions?permission=…`. */
export const revokeGroupPermission = (deps: Deps): OperationHandler<'revokeGroupPermission'> => permissionHandlers(deps, 'group').revoke;
