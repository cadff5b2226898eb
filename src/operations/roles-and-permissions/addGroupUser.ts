import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { linkHandler } from '../link-handlers.js';

/** `POST /{org}/{app}/groups/{group}/users/{user}`. */
export const addGroupUser = (deps: Deps): OperationHandler<'addGroupUser'> => linkHandler(deps, 'group', 'user', 'add');
