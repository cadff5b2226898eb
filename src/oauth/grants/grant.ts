import type { OAuthClientRecord } from '../../db/repositories/oauth-clients.js';
import type { Deps } from '../../deps.js';
import { InvalidRequest } from '../../errors.js';
import type { TokenResponse } from '../issue.js';
import { pickParams } from '../params.js';

const tokenParamNames = ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'username', 'password', 'client_id', 'client_secret'] as const;

/** The token request's parameters, with empty ones dropped (RFC 6749 §3.2: an empty parameter is an omitted one). */
export type TokenParams = Partial<Record<(typeof tokenParamNames)[number], string>>;

export interface GrantContext {
  deps: Deps;
  /** The authenticated client, already known to be allowed this grant type. */
  client: OAuthClientRecord;
  params: TokenParams;
  ip: string;
}

/** One grant type: turns a token request into a token response, or throws the RFC 6749 §5.2 error. */
export type CompiledPermission = (context: GrantContext) => Promise<TokenResponse>;

export function required(params: TokenParams, name: keyof TokenParams): string {
  const value = params[name];
  if (value === undefined) throw new InvalidRequest(`${name} is required for grant_type=${params.grant_type}`);
  return value;
}

/** The parameters a grant knows; others are ignored and empty ones dropped. */
export function tokenParams(body: Record<string, unknown> | undefined): TokenParams {
  return pickParams(body, tokenParamNames);
}
