import type { Deps } from '../../deps.js';
import type { OperationHandler } from '../types.js';
import { authorizationServerMetadata, issuerOf } from '../../oauth/issuer.js';

/** `GET /.well-known/oauth-authorization-server` (RFC 8414). */
export const oauthMetadata = (deps: Deps): OperationHandler<'oauthMetadata'> => (_c, ctx) => ({
  status: 200,
  body: authorizationServerMetadata(issuerOf(deps.config, ctx)),
});
