import type { CredentialRequest } from './credential-request.js';

/**
 * openapi-backend runs every scheme's handler of an operation on every request, in parallel
 * (reference/tooling.md §1.2); schemes that read the same credential (`bearerAuth` and `oauth2`,
 * `clientId` and `clientSecret`) share one resolution through this memo.
 */
export function once<T>(ctx: CredentialRequest, key: string, resolve: () => Promise<T>): Promise<T> {
  const memo = (ctx.state.credentialMemo ??= new Map());
  let pending = memo.get(key) as Promise<T> | undefined;
  if (!pending) memo.set(key, (pending = resolve()));
  return pending;
}
