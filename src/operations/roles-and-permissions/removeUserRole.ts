import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { linkHandler } from '../link-handlers.js';

/** `DELETE /{org}/{app}/users/{user}/roles/{role}`. */
export const removeUserRole = (deps: Deps): OperationHandler<'removeUserRole'> => linkHandler(deps, 'user', 'role', 'remove');
