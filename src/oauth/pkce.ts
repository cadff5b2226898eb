import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../secrets/constant-time.js';

/** RFC 7636 §4.1: `code-verifier = 43*128unreserved`, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". */
const verifierSyntax = /^[A-Za-z0-9\-._~]{43,128}$/;
/** §4.2: an S256 challenge is BASE64URL(SHA256(verifier)) without padding: exactly 43 characters. */
const s256ChallengeSyntax = /^[A-Za-z0-9\-_]{43}$/;

/** S256 only: `plain` would hand the verifier to anyone who sees the authorization request. */
export const codeChallengeMethods = ['S256'] as const;

export function isValidCodeVerifier(verifier: string): boolean {
  return verifierSyntax.test(verifier);
}

export function isValidS256Challenge(challenge: string): boolean {
  return s256ChallengeSyntax.test(challenge);
}

/** §4.6: BASE64URL(SHA256(verifier)) == challenge, compared in constant time. */
export function verifyCodeVerifier(verifier: string, challenge: string): boolean {
  return constantTimeEqual(createHash('sha256').update(verifier, 'ascii').digest('base64url'), challenge);
}
