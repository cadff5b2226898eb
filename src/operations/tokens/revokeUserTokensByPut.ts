import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { revokeEveryTokenOfUser } from './revokeUserTokens.js';

/** `PUT` of `revokeUserTokens`. */
export const revokeUserTokensByPut = (deps: Deps): OperationHandler<'revokeUserTokensByPut'> => revokeEveryTokenOfUser(deps);
