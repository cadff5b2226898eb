import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../../http/operation-types.js';
import { sessionView } from '../../quickblox/sessions.js';
import { sessionOf } from './session.js';

export const getSession = (_deps: Deps): OperationHandler<'getSession'> => async (_c, ctx) => {
  const { token, value } = sessionOf(ctx);
  return { status: 200, body: { session: sessionView(token, value) } };
};
