/** Keeps a parameter one path segment: a `/` inside a name must not reach a deeper permission path. */
const asSegment = (value: string) => value.replace(/%/g, '%25').replace(/\//g, '%2F');

/**
 * The path an operation acts on as permissions name it, relative to its application:
 * `/{org}/{app}/cats/{entity}` with `entity=fluffy` is `/cats/fluffy` (reference §5.3: the request
 * path without `<org>/<app>`). An operation outside `/{org}/{app}` (QuickBlox's `/data/{class}.json`,
 * say) declares its own with `x-permission-path: /{class}`; without either there is none.
 */
export function resourcePath(template: string, params: Record<string, string | undefined>, declared?: string): string | undefined {
  const prefix = '/{org}/{app}';
  const relative = declared ?? (template === prefix || template.startsWith(`${prefix}/`) ? template.slice(prefix.length) : undefined);
  if (relative === undefined) return undefined;
  return relative.replace(/\{([^}]+)\}/g, (_match, name: string) => asSegment(params[name] ?? ''));
}
