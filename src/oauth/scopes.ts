import type { Ceiling } from '../auth/principal.js';
import { InvalidScope } from '../errors.js';

/** The scopes Tessera grants: `read` the application's data, and `write` (change) it. */
export const supportedScopes = ['read', 'write'] as const;
export type Scope = (typeof supportedScopes)[number];

/** What a client gets when it asks for no scope (RFC 6749 §3.3: a documented default). */
export const defaultScopes: readonly Scope[] = supportedScopes;

const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * RFC 6749 §3.3: space-delimited, case-sensitive, order irrelevant. An absent or empty `scope`
 * (§3.2: an empty parameter is an omitted one) gets `fallback`; an unknown scope, or one outside
 * `allowed`, is `invalid_scope`. The result is in a canonical order, without repeats.
 */
export function parseScope(requested: string | undefined, fallback: readonly Scope[], allowed: readonly string[] = supportedScopes): Scope[] {
  if (requested === undefined || requested.trim() === '') return [...fallback];
  const asked = new Set(requested.split(' ').filter(Boolean));
  for (const scope of asked) {
    if (!scopeToken.test(scope) || !(supportedScopes as readonly string[]).includes(scope)) {
      throw new InvalidScope(`Unknown scope '${scope}'; the scopes are ${supportedScopes.join(' and ')}`);
    }
    if (!allowed.includes(scope)) throw new InvalidScope(`The scope '${scope}' is wider than what was granted (${allowed.join(' ')})`);
  }
  return supportedScopes.filter((scope) => asked.has(scope));
}

/** A token without `write` may only read (`auth/authorize.ts` refuses its writes with 403 insufficient_scope). */
export function ceilingOf(scopes: readonly string[]): Ceiling {
  return scopes.includes('write') ? 'write' : 'read';
}
