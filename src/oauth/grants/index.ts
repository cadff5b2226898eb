import type { OAuthGrantType } from '../../db/repositories/oauth-clients.js';
import { InvalidRequest, UnsupportedGrantType } from '../../errors.js';
import { authorizationCode } from './authorization-code.js';
import { clientCredentials } from './client-credentials.js';
import type { CompiledPermission } from './grant.js';
import { password } from './password.js';
import { refreshToken } from './refresh-token.js';

/** The grants of the token endpoint, keyed by the wire value of `grant_type`. */
export const grants: Record<OAuthGrantType, CompiledPermission> = {
  authorization_code: authorizationCode,
  password,
  refresh_token: refreshToken,
  client_credentials: clientCredentials,
};

/** RFC 6749 §5.2: a missing grant_type is `invalid_request`, one we do not know `unsupported_grant_type`. */
export function grantTypeOf(grantType: string | undefined): OAuthGrantType {
  if (grantType === undefined) throw new InvalidRequest('grant_type is required');
  if (!Object.hasOwn(grants, grantType)) throw new UnsupportedGrantType(`grant_type ${grantType} is not supported; use one of ${Object.keys(grants).join(', ')}`);
  return grantType as OAuthGrantType;
}
