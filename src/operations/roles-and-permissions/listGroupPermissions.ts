import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../permission-handlers.js';

/** `GET /{org}/{app}/groups/{group}/permissions`. */
export const listGroupPermissions = (deps: Deps): OperationHandler<'listGroupPermissions'> => permissionHandlers(deps, 'group').list;
