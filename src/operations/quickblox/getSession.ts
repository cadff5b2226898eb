import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { sessionView } from '../../quickblox/sessions.js';
import { sessionOf, storedSessionOf } from '../quickblox-session.js';

export const getSession = (deps: Deps): OperationHandler<'getSession'> => async (_c, ctx) => {
  return { status: 200, body: { session: sessionView(await storedSessionOf(deps, ctx), sessionOf(ctx).value) } };
};
