import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { linkHandler } from '../link-handlers.js';

/** `DELETE /{org}/{app}/roles/{role}/users/{user}`. */
export const removeRoleUser = (deps: Deps): OperationHandler<'removeRoleUser'> => linkHandler(deps, 'role', 'user', 'remove');
