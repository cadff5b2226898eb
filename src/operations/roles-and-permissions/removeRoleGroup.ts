import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { linkHandler } from '../link-handlers.js';

/** `DELETE /{org}/{app}/roles/{role}/groups/{group}`: Usergrid's other spelling of `removeGroupRole`. */
export const removeRoleGroup = (deps: Deps): OperationHandler<'removeRoleGroup'> => linkHandler(deps, 'role', 'group', 'remove');
