import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { authenticateOAuthClient, presentedOAuthClient } from '../../oauth/client-auth.js';
import { issuerOf } from '../../oauth/issuer.js';
import { revokeOAuthToken } from '../../oauth/revocation.js';
import { tokenReference } from '../../oauth/token-reference.js';
import { recordOAuthClientAction } from '../../domain/audit-events.js';

/** `POST /oauth/revoke` (RFC 7009): client authentication → revocation. */
export const oauthRevoke = (deps: Deps): OperationHandler<'oauthRevoke'> => async (c, ctx) => {
  issuerOf(deps.config, ctx);
  const params = tokenReference(c.request.requestBody as Record<string, unknown>);
  const client = await authenticateOAuthClient(deps, presentedOAuthClient(ctx, params), ctx.ip);
  const outcome = await revokeOAuthToken(deps, client, params.token, params.token_type_hint);
  // Only what was revoked: a client repeating a revocation (or sending garbage) adds no rows.
  if (outcome && outcome.revoked > 0) {
    const family = outcome.token.kind === 'oauth_refresh';
    await recordOAuthClientAction(deps, client, ctx.ip, {
      kind: family ? 'token-family.revoked' : 'token.revoked',
      subject: String(outcome.token.id),
      details: { token_kind: outcome.token.kind, revoked: outcome.revoked, reason: 'client revoked it (RFC 7009)' },
    });
  }
  return { status: 200, body: undefined };
};
