import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { NonceLedger } from '../../quickblox/nonces.js';
import { openSession, sessionView } from '../../quickblox/sessions.js';
import { expirationHeaders } from '../../quickblox/wire.js';

export const createSession = (deps: Deps): OperationHandler<'createSession'> => {
  const nonces = new NonceLedger(deps);
  return async (c, ctx) => {
    // The signature covers the body as sent, before form values were coerced to the schema's types.
    const signed = ctx.request.body as Record<string, unknown>;
    const { value, token } = await openSession(deps, nonces, c.request.requestBody, signed, ctx.ip);
    return { status: 201, body: { session: sessionView(token, value) }, headers: expirationHeaders(deps.tokens.expiryOf(token)!) };
  };
};
