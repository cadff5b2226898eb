import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from '../roles/permission-handlers.js';

/** `POST /{org}/{app}/groups/{group}/permissions` with `{"permission": "…"}`. */
export const grantGroupPermission = (deps: Deps): OperationHandler<'grantGroupPermission'> => permissionHandlers(deps, 'group').grant('post');
