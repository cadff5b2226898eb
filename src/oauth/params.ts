/**
 * The named parameters of an OAuth request body that are non-empty strings. RFC 6749 §3.2: an
 * empty parameter is an omitted one, and a parameter the endpoint does not know is ignored.
 * Repeated parameters never get here: the spec types each as one string.
 */
export function pickParams<K extends string>(body: Record<string, unknown> | undefined, names: readonly K[]): Partial<Record<K, string>> {
  const params: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = body?.[name];
    if (typeof value === 'string' && value !== '') params[name] = value;
  }
  return params;
}
