import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { linkHandler } from '../link-handlers.js';

/** `DELETE /{org}/{app}/groups/{group}/roles/{role}`. */
export const removeGroupRole = (deps: Deps): OperationHandler<'removeGroupRole'> => linkHandler(deps, 'group', 'role', 'remove');
