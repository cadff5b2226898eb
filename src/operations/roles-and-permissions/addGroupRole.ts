import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { linkHandler } from '../link-handlers.js';

/** `POST /{org}/{app}/groups/{group}/roles/{role}`. */
export const addGroupRole = (deps: Deps): OperationHandler<'addGroupRole'> => linkHandler(deps, 'group', 'role', 'add');
