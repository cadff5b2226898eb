/** Reading the answers of the token endpoints. */

/**
 * The answer of a token endpoint that carries `kind` (`user`, `organization` or `application`):
 * the spec answers one of three shapes, and a test that knows which one it asked for reads that one.
 */
export function issued<T extends object, K extends string>(data: T | undefined, kind: K): Extract<T, Record<K, unknown>> {
  if (data !== undefined && carries(data, kind)) return data;
  throw new Error(`expected a token answer with ${kind}, got ${JSON.stringify(data)}`);
}
function carries<T extends object, K extends string>(data: T, key: K): data is Extract<T, Record<K, unknown>> {
  return key in data;
}
