import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { linkHandler } from '../link-handlers.js';

/** `DELETE /{org}/{app}/groups/{group}/users/{user}`. */
export const removeGroupUser = (deps: Deps): OperationHandler<'removeGroupUser'> => linkHandler(deps, 'group', 'user', 'remove');
