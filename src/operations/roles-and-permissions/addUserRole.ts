import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { linkHandler } from '../link-handlers.js';

/** `POST /{org}/{app}/users/{user}/roles/{role}`. */
export const addUserRole = (deps: Deps): OperationHandler<'addUserRole'> => linkHandler(deps, 'user', 'role', 'add');
