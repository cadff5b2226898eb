import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { revokeOneTokenOfAdmin } from './revokeAdminUserToken.js';

/** `PUT` of `revokeAdminUserToken`. */
export const revokeAdminUserTokenByPut = (deps: Deps): OperationHandler<'revokeAdminUserTokenByPut'> => revokeOneTokenOfAdmin(deps);
