import { InvalidClientMetadata } from '../errors.js';
import { isLoopbackHostname } from '../loopback.js';

/**
 * A redirect URI a client may register (RFC 6749 §3.1.2, RFC 9700 §2.1 and §2.6, RFC 8252 §7.3):
 * absolute, https (plain http only on a loopback host, for native apps and development), no
 * fragment, no credentials, and written in its normal form, so that the exact string comparison
 * done at authorization time cannot be fooled by spelling (`CLIENT.example`, `/cb/../cb`).
 */
export function checkRedirectUri(uri: string): void {
  const refuse = (why: string): never => {
    throw new InvalidClientMetadata(`The redirect URI ${uri} ${why}`, 'invalid_redirect_uri');
  };
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return refuse('is not an absolute URL');
  }
  if (uri.includes('#')) refuse('must not have a fragment');
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) refuse('must be https (plain http only for 127.0.0.1, [::1] or localhost)');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('must be https');
  if (url.username || url.password) refuse('must not carry a user name or password');
  if (url.href !== uri) refuse(`must be written in its normal form, ${url.href}`);
}

/**
 * RFC 8252 §7.3: a native app listens on a loopback IP literal at whatever port the system gives
 * it, so for `http://127.0.0.1/…` and `http://[::1]/…` the port is left out of the comparison;
 * everything else (scheme, host, path, query) still matches exactly. Not for `localhost`
 * (RFC 8252 §8.3: NOT RECOMMENDED, a name may resolve elsewhere), which matches exactly, port
 * included. Undefined for any other URI, or one not written in its normal form.
 */
function loopbackWithoutPort(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || (url.hostname !== '127.0.0.1' && url.hostname !== '[::1]') || url.href !== uri) return undefined;
  url.port = '';
  return url.href;
}

/**
 * RFC 6749 §3.1.2.3 and RFC 9700 §4.1.3: the URI a request names must be one registered, by exact
 * string comparison (the port aside for loopback IP literals, see above); with none named, the
 * client's only URI (more than one registered → none). Undefined means no redirect may happen at all.
 */
export function matchRedirectUri(registered: readonly string[], requested: string | undefined): string | undefined {
  if (requested === undefined) return registered.length === 1 ? registered[0] : undefined;
  if (registered.includes(requested)) return requested;
  const loopback = loopbackWithoutPort(requested);
  return loopback !== undefined && registered.some((uri) => loopbackWithoutPort(uri) === loopback) ? requested : undefined;
}
