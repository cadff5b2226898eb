import type { Deps } from '../../deps.js';
import { InvalidClient } from '../../errors.js';
import type { OperationHandler } from '../types.js';
import { authenticateOAuthClient, presentedOAuthClient } from '../../oauth/client-auth.js';
import { isPublicClient } from '../../oauth/clients.js';
import { introspectOAuthToken } from '../../oauth/introspection.js';
import { issuerOf } from '../../oauth/issuer.js';
import { tokenReference } from '../../oauth/token-reference.js';

/** `POST /oauth/introspect` (RFC 7662): client authentication (a secret: §2.1 forbids anonymous scanning) → introspection. */
export const oauthIntrospect = (deps: Deps): OperationHandler<'oauthIntrospect'> => async (c, ctx) => {
  const issuer = issuerOf(deps.config, ctx);
  const params = tokenReference(c.request.requestBody as Record<string, unknown>);
  const client = await authenticateOAuthClient(deps, presentedOAuthClient(ctx, params), ctx.ip);
  if (isPublicClient(client)) throw new InvalidClient('Only clients with a secret may introspect tokens', { basic: true });
  return { status: 200, body: await introspectOAuthToken(deps, client, params.token, params.token_type_hint, issuer) };
};
