import { InvalidRequest } from '../errors.js';
import { pickParams } from './params.js';

/** The parameters of a revocation or introspection request (RFC 7009 §2.1, RFC 7662 §2.1). */
export interface TokenReference {
  token: string;
  token_type_hint?: string;
  client_id?: string;
  client_secret?: string;
}

export function tokenReference(body: Record<string, unknown> | undefined): TokenReference {
  const params = pickParams(body, ['token', 'token_type_hint', 'client_id', 'client_secret']);
  if (params.token === undefined) throw new InvalidRequest('token is required');
  return { ...params, token: params.token };
}
