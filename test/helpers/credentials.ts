/** How the test fixtures name their users' passwords: `<username>-password`. */
export const passwordOf = (username: string) => `${username}-password`;

/** `Authorization: Basic` for a client id and secret, each form-urlencoded first (RFC 6749 Appendix B). */
export function basic(clientId: string, clientSecret: string): string {
  const encode = (s: string) => new URLSearchParams({ s }).toString().slice(2);
  return basicVerbatim(encode(clientId), encode(clientSecret));
}

/** `Authorization: Basic` with the pair exactly as given, for the tests of what the server decodes from it. */
export function basicVerbatim(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}
