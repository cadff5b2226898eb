import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { revokeOneTokenOfUser } from './revokeUserToken.js';

/** `PUT` of `revokeUserToken`. */
export const revokeUserTokenByPut = (deps: Deps): OperationHandler<'revokeUserTokenByPut'> => revokeOneTokenOfUser(deps);
