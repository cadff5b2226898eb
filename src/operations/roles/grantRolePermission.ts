import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { permissionHandlers } from './permission-handlers.js';

/** `POST /{org}/{app}/roles/{role}/permissions` with `{"permission": "…"}`. */
export const grantRolePermission = (deps: Deps): OperationHandler<'grantRolePermission'> => permissionHandlers(deps, 'role').grant('post');
