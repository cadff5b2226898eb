import type { Config } from '../config.js';
import { InvalidRequest } from '../errors.js';
import type { Context } from 'koa';
import { codeChallengeMethods } from './pkce.js';
import { supportedScopes } from './scopes.js';

const loopbackHost = /^(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?$/;

/**
 * The issuer identifier (RFC 8414 §2): `TESSERA_ISSUER`, or else the server's own loopback address
 * as the request reached it. Without a configured issuer OAuth answers only on loopback: plain http
 * elsewhere would carry passwords and tokens in the clear (RFC 6749 §3.1, §3.2), and a Host header
 * is not to be trusted as the name of the server.
 */
export function issuerOf(config: Pick<Config, 'issuer'>, ctx: Pick<Context, 'host'>): string {
  if (config.issuer) return config.issuer;
  if (loopbackHost.test(ctx.host)) return `http://${ctx.host}`;
  throw new InvalidRequest('OAuth is served only on a loopback address until TESSERA_ISSUER names the https address of the server');
}

export const grantTypesSupported = ['authorization_code', 'refresh_token', 'password', 'client_credentials'] as const;

/** RFC 8414 §2 and §3.2; RFC 9207 for `authorization_response_iss_parameter_supported`. */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    scopes_supported: [...supportedScopes],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [...grantTypesSupported],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: [...codeChallengeMethods],
    authorization_response_iss_parameter_supported: true,
    service_documentation: `${issuer}/docs`,
  };
}
