import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { sessionOf } from '../quickblox-session.js';

/** 200 with an empty body: the SDK takes a 204 for an error (reference §6). */
export const deleteSession = (deps: Deps): OperationHandler<'deleteSession'> => async (_c, ctx) => {
  await deps.tokens.revokeOne(sessionOf(ctx).token);
  return { status: 200, body: undefined };
};
