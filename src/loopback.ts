/**
 * RFC 8252 §7.3 and §8.3: loopback addresses (and `localhost`) are the only hosts where plain http
 * is acceptable, for native apps and local development. `hostname` as the WHATWG URL spells it
 * (IPv6 in brackets).
 */
export function isLoopbackHostname(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
}
