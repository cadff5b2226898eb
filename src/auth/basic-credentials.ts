import { InvalidRequest } from '../errors.js';
import { unstorable } from '../storable-text.js';

/** A client id and secret as `Authorization: Basic` carried them, decoded; the id is never empty, the secret may be. */
export interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

const basicChallenge = { 'WWW-Authenticate': 'Basic realm="tessera"' };

/** `Authorization: Basic` that is present but cannot be read: 400, with the challenge that says how to send it. */
export class MalformedBasicCredentials extends InvalidRequest {
  constructor(description = 'Authorization: Basic must carry base64(client_id:client_secret)') {
    super(description, { headers: basicChallenge });
  }
}

const basicScheme = /^Basic(?=\s|$)/i;
/** RFC 7235 §2.1: the scheme, one or more spaces, the token68 (RFC 7617: base64 of `id:secret`). */
const basicPair = /^Basic +([A-Za-z0-9+/]+={0,2})$/i;

/** RFC 6749 Appendix B: each half is form-urlencoded before the pair is base64-encoded. */
function formDecode(value: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new MalformedBasicCredentials('The client id and secret in Authorization: Basic must be form-urlencoded');
  }
  // Decoded here, after the door's check of the raw header: the same rule applies to what comes out.
  if (unstorable(decoded)) throw new MalformedBasicCredentials('The client id or secret in Authorization: Basic holds a NUL character or an unpaired surrogate');
  return decoded;
}

/** Whether an Authorization header names the Basic scheme, readable or not. */
export function namesBasic(authorization: string): boolean {
  return basicScheme.test(authorization.trim());
}

/**
 * The one reader of `Authorization: Basic`, for the Usergrid token endpoints and OAuth's:
 * undefined when the header is absent or names another scheme; the client id and secret when it
 * is readable; `MalformedBasicCredentials` otherwise.
 */
export function basicCredentials(authorization: string): BasicCredentials | undefined {
  return namesBasic(authorization) ? readBasic(authorization) : undefined;
}

/**
 * The client id and secret of a header that names the Basic scheme, or `MalformedBasicCredentials`.
 * An empty id is malformed. An empty secret (`id:`) is read as one: what it means is the endpoint's
 * to say. OAuth reads it as a public client naming itself (clients such as golang.org/x/oauth2 send
 * their id that way when they have no secret; fosite accepts it too); the Usergrid token endpoints
 * have no public clients and refuse it as malformed (`basicAuth`).
 */
export function readBasic(authorization: string): BasicCredentials {
  const encoded = basicPair.exec(authorization.trim())?.[1];
  const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new MalformedBasicCredentials();
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}
