import { ExpiredToken, InvalidToken } from '../../errors.js';
import type { CredentialRequest } from '../credential-request.js';
import type { TokenStore } from '../../tokens/token-store.js';
import type { Authentication } from '../authentication.js';
import { once } from '../memo.js';
import { principalFromToken } from '../token-principal.js';

/**
 * `QB-Token: <session token>`: a QuickBlox session from `POST /session.json`, on QuickBlox routes
 * and on its application's `/{org}/{app}` routes. An application session is read-only; a user
 * session acts as its user. Unknown, expired and destroyed sessions are alike to the client
 * (QuickBlox: 401 "Required session does not exist"). Only session tokens count: an access token
 * sent here is unknown, as a session token sent as a bearer token is.
 */
export function qbToken(deps: { tokens: TokenStore }) {
  return (_c: unknown, ctx: CredentialRequest): Promise<Authentication | false> =>
    once(ctx, 'qb-token', async () => {
      const value = ctx.get('qb-token').trim();
      if (value === '') return false;
      const found = await deps.tokens.lookup(value);
      if (found.status === 'unknown' || found.token.kind !== 'session') throw new InvalidToken('Unable to authenticate: the QuickBlox session does not exist');
      if (found.status === 'expired') throw new ExpiredToken('Unable to authenticate: the QuickBlox session expired');
      return { principal: principalFromToken(found.token, 'QBToken', found.expiresAt), presented: { scheme: 'QBToken', token: value } };
    });
}
