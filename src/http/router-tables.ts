import type { OpenAPIRouter, Operation } from 'openapi-backend';

interface CompiledPath {
  path: string;
  pattern: RegExp;
  /** Per segment: 2 = literal, 1 = literal with a parameter (`{id}.json`), 0 = a bare parameter. */
  specificity: number[];
  operations: Map<string, Operation>;
}

function compile(path: string): Omit<CompiledPath, 'operations'> {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = path
    .replace(/\{[^}]+\}/g, '\0')
    .split('\0')
    .map(escape)
    .join('[^/]+');
  const specificity = path.split('/').slice(1).map((segment) => (!segment.includes('{') ? 2 : /^\{[^}]+\}$/.test(segment) ? 0 : 1));
  return { path, pattern: new RegExp(`^${source}$`), specificity };
}

/** Literal segments outrank parameters, segment by segment from the left. */
function compareSpecificity(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (b[i] ?? -1) - (a[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * openapi-backend rebuilds its whole operation list (lodash chains, one RegExp per operation) on
 * every request, twice (reference/tooling.md §1.5b), so its per-request cost grows with the spec.
 * This builds the tables once after `init()` and replaces the router's three lookups.
 *
 * It also makes routing deterministic where literal and templated paths overlap
 * (`/management/orgs/{org}` against `/{org}/{app}/{collection}`): the most specific path that
 * matches wins, and a method it does not declare is a 405 there, never a fall-through to a looser
 * path.
 */
export interface RouterTables {
  /** The operations declared at the most specific path matching a request path (for 405's `Allow`, and error families). */
  operationsAtPath(requestPath: string): Operation[];
}

export function installRouterTables(router: OpenAPIRouter): RouterTables {
  const operations = router.getOperations();
  const byId = new Map(operations.map((op) => [op.operationId, op]));
  const paths = new Map<string, CompiledPath>();
  for (const op of operations) {
    let compiled = paths.get(op.path);
    if (!compiled) paths.set(op.path, (compiled = { ...compile(op.path), operations: new Map() }));
    compiled.operations.set(op.method, op);
  }
  const ordered = [...paths.values()].sort((a, b) => compareSpecificity(a.specificity, b.specificity));

  router.getOperations = () => operations;
  router.getOperation = (operationId: string) => byId.get(operationId);
  const bestPath = (requestPath: string) => {
    const path = router.normalizePath(requestPath);
    return ordered.find((candidate) => candidate.pattern.test(path));
  };

  router.matchOperation = ((req: { method: string; path: string }, strict?: boolean) => {
    const normalized = router.normalizeRequest(req as never);
    const match = bestPath(normalized.path);
    const operation = match?.operations.get(normalized.method);
    if (operation) return operation;
    if (!strict) return undefined;
    throw new Error(match ? '405-methodNotAllowed: this method is not registered for the route' : '404-notFound: no route matches request');
  }) as OpenAPIRouter['matchOperation'];

  return {
    operationsAtPath: (requestPath) => [...(bestPath(requestPath.split('?')[0] ?? '/')?.operations.values() ?? [])],
  };
}
