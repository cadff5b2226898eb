import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { linkHandler } from '../link-handlers.js';

/** `POST /{org}/{app}/roles/{role}/groups/{group}`: Usergrid's other spelling of `addGroupRole`. */
export const addRoleGroup = (deps: Deps): OperationHandler<'addRoleGroup'> => linkHandler(deps, 'role', 'group', 'add');
