import type { Operation } from 'openapi-backend';

import type { ErrorFamily } from '../errors.js';

const families: readonly ErrorFamily[] = ['usergrid', 'oauth', 'quickblox'];

export function familyOf(operation: Operation): ErrorFamily {
  const declared = (operation as Operation & { 'x-error-family'?: string })['x-error-family'];
  if (!families.includes(declared as ErrorFamily)) {
    throw new Error(`operation ${operation.operationId} must declare x-error-family as one of ${families.join(', ')}`);
  }
  return declared as ErrorFamily;
}

/**
 * For a request that matched no operation at all there is no declaration to read; the family is
 * the one whose paths look like it (QuickBlox paths end in `.json`, OAuth's live under `/oauth/`
 * and `/.well-known/`), and Usergrid's otherwise.
 */
export function familyOfUnroutedPath(path: string): ErrorFamily {
  if (/^\/(oauth|\.well-known)(\/|$)/.test(path)) return 'oauth';
  if (/\.json$/.test(path)) return 'quickblox';
  return 'usergrid';
}
