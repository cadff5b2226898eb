import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { revokeEveryTokenOfAdmin } from './revokeAdminUserTokens.js';

/** `PUT` of `revokeAdminUserTokens`. */
export const revokeAdminUserTokensByPut = (deps: Deps): OperationHandler<'revokeAdminUserTokensByPut'> => revokeEveryTokenOfAdmin(deps);
