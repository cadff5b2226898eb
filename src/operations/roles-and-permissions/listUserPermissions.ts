import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../permission-handlers.js';

/** `GET /{org}/{app}/users/{user}/permissions`. */
export const listUserPermissions = (deps: Deps): OperationHandler<'listUserPermissions'> => permissionHandlers(deps, 'user').list;
