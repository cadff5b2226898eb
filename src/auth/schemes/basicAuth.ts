import type { Deps } from '../../deps.js';
import { checkClientSecret } from '../../domain/client-credentials.js';
import { InvalidRequest } from '../../errors.js';
import { unstorable } from '../../storable-text.js';
import type { TesseraContext } from '../../http/operation-types.js';
import { once } from '../memo.js';
import type { Principal } from '../principal.js';

const basicChallenge = { 'WWW-Authenticate': 'Basic realm="tessera"' };

/** RFC 6749 Appendix B: each half is form-urlencoded before the pair is base64-encoded. */
function formDecode(value: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new InvalidRequest('The client id and secret in Authorization: Basic must be form-urlencoded', { headers: basicChallenge });
  }
  // Decoded here, after the door's check of the raw header: the same rule applies to what comes out.
  if (unstorable(decoded)) throw new InvalidRequest('The client id or secret in Authorization: Basic holds a NUL character or an unpaired surrogate', { headers: basicChallenge });
  return decoded;
}

/** The client id and secret of `Authorization: Basic`, or undefined when the header carries none (or another scheme). */
export function basicCredentialsFrom(ctx: TesseraContext): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic(?:\s+(.*))?$/i.exec(ctx.get('authorization').trim());
  if (!match) return undefined;
  const encoded = (match[1] ?? '').trim();
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 1 || colon === decoded.length - 1) {
    throw new InvalidRequest('Authorization: Basic must carry base64(client_id:client_secret)', { headers: basicChallenge });
  }
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}

/**
 * `Authorization: Basic`: an organization's or application's client id and secret (RFC 6749
 * §2.3.1), accepted where the spec declares it (the token endpoints). A wrong pair is 401
 * `invalid_client` with a Basic challenge, and counts towards the client id's brute-force limit.
 */
export function basicAuth(deps: Deps) {
  return (_c: unknown, ctx: TesseraContext): Promise<Principal | false> =>
    once(ctx, 'authorization:basic', async () => {
      const pair = basicCredentialsFrom(ctx);
      return pair === undefined ? false : checkClientSecret(deps, pair.clientId, pair.clientSecret, 'basicAuth', ctx.ip);
    });
}
