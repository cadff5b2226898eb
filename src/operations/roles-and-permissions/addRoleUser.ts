import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { linkHandler } from '../link-handlers.js';

/** `POST /{org}/{app}/roles/{role}/users/{user}`. */
export const addRoleUser = (deps: Deps): OperationHandler<'addRoleUser'> => linkHandler(deps, 'role', 'user', 'add');
