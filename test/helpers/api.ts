import createClient from 'openapi-fetch';
import type { paths } from '../../generated/openapi.js';

/**
 * A client typed from `generated/`: paths, parameters, bodies and answers are checked against the
 * spec at compile time, so a change to the spec that breaks a caller breaks the build.
 */
export function tessera(baseUrl: string, token?: string) {
  return createClient<paths>({ baseUrl, ...(token && { headers: { authorization: `Bearer ${token}` } }) });
}
export type Tessera = ReturnType<typeof tessera>;
