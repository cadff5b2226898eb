import type { OpenAPIRouter, Operation } from 'openapi-backend';

interface CompiledPath {
  path: string;
  pattern: RegExp;
  /** The same path with each parameter captured, and the parameters' names in order. */
  capture: RegExp;
  parameterNames: string[];
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
  const parameterNames = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  // As openapi-backend's own parser (bath) reads them: a parameter is anything but `/`, percent-decoded.
  const capture = new RegExp(`^${path.replace(/\{[^}]+\}/g, '\0').split('\0').map(escape).join('([^/]*)')}$`);
  return { path, pattern: new RegExp(`^${source}$`), specificity, capture, parameterNames };
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
  /** The operation a request names, or why none: the most specific path wins, and its methods alone count. */
  route(method: string, path: string): Operation | 'not found' | 'method not allowed';
  /** The operations whose requests this table's own parser reads (the others reshape query values: openapi-backend's parser reads theirs). */
  ownParse: ReadonlySet<string>;
}

/** Query parameters whose values openapi-backend reshapes per operation (JSON content, non-exploded arrays): such operations keep its parser. */
function reshapesQuery(operation: Operation): boolean {
  return (operation.parameters ?? []).some((p) => !('$ref' in p) && p.in === 'query' && (p.content !== undefined || p.explode === false));
}

/** The first segment of a path (`/a/b` → `a`), as it is written in the request or the spec. */
function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}

/**
 * The paths a request path may match, most specific first, found by its first segment instead of
 * trying every path's pattern in turn (a page of users went through some sixty). A path whose
 * first segment is literal matches only requests with that very segment; the paths whose first
 * segment holds a parameter may match any. Every literal first segment outranks a templated one
 * (`compareSpecificity`), so each list is the literal paths of that segment followed by the
 * templated ones, both in the order of `ordered`: the same path wins as when trying them all.
 */
function candidatesByFirstSegment(ordered: readonly CompiledPath[]): (requestPath: string) => readonly CompiledPath[] {
  const templated = ordered.filter((candidate) => candidate.specificity[0] !== 2);
  const bySegment = new Map<string, CompiledPath[]>();
  for (const candidate of ordered) {
    if (candidate.specificity[0] !== 2) continue;
    const segment = firstSegment(candidate.path);
    bySegment.set(segment, [...(bySegment.get(segment) ?? []), candidate]);
  }
  for (const [segment, literal] of bySegment) bySegment.set(segment, [...literal, ...templated]);
  return (requestPath) => bySegment.get(firstSegment(requestPath)) ?? templated;
}

type ParsedRequest = ReturnType<OpenAPIRouter['parseRequest']>;
type RawRequest = Parameters<OpenAPIRouter['parseRequest']>[0];

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
  const candidatesOf = candidatesByFirstSegment(ordered);

  router.getOperations = () => operations;
  router.getOperation = (operationId: string) => byId.get(operationId);
  const bestPath = (requestPath: string) => {
    const path = router.normalizePath(requestPath);
    return candidatesOf(path).find((candidate) => candidate.pattern.test(path));
  };

  const route = (method: string, path: string): Operation | 'not found' | 'method not allowed' => {
    const normalized = router.normalizeRequest({ method, path } as never);
    const match = bestPath(normalized.path);
    return match?.operations.get(normalized.method) ?? (match ? 'method not allowed' : 'not found');
  };
  router.matchOperation = ((req: { method: string; path: string }, strict?: boolean) => {
    const operation = route(req.method, req.path);
    if (typeof operation === 'object') return operation;
    if (!strict) return undefined;
    throw new Error(operation === 'method not allowed' ? '405-methodNotAllowed: this method is not registered for the route' : '404-notFound: no route matches request');
  }) as OpenAPIRouter['matchOperation'];

  // openapi-backend parses a request up to four times (before routing, after, for validation, after
  // coercion), each time compiling the operation's path template and copying headers with lodash.
  // Before routing nothing reads the parse (no preRoutingHandler; the 404/405 handlers read the
  // Koa context): it gets the request as it is. After, the operation's path is compiled once, here.
  const parseRequest = router.parseRequest.bind(router);
  const compiledByPath = new Map([...paths.values()].map((compiled) => [compiled.path, compiled]));
  const ownParse = new Set(operations.filter((op) => !reshapesQuery(op)).map((op) => op.operationId));
  router.parseRequest = ((req: RawRequest, operation?: Operation): ParsedRequest => {
    if (!operation) return { ...req, params: {}, query: {}, cookies: {}, requestBody: req.body } as ParsedRequest;
    const compiled = compiledByPath.get(operation.path);
    const headers = req.headers as Record<string, string | string[] | undefined>;
    // Cookies, JSON request text or reshaped query values: openapi-backend's parser, as it was.
    if (!compiled || !ownParse.has(operation.operationId) || headers.cookie !== undefined || (req.body !== undefined && typeof req.body !== 'object')) {
      return parseRequest(req, operation);
    }
    const query = router.parseRequestQuery(req);
    const normalized = router.normalizeRequest(req);
    const values = compiled.capture.exec(router.normalizePath(normalized.path));
    const params: Record<string, string> = {};
    // decodeURIComponent throws a URIError on bad percent-encoding, as bath does: a 400 (error-renderer.ts).
    if (values) compiled.parameterNames.forEach((name, i) => (params[name] = decodeURIComponent(values[i + 1]!)));
    // Every field written out, not `{ ...normalized, params, … }`. On Node 20's V8, an object literal
    // that spreads another and then adds a field the other lacks takes a slow path: ~0.6 µs in a
    // loop, ~5 µs per request here under load (a CPU profile's line ticks put nine tenths of this
    // function on that line).
    return { method: normalized.method, path: normalized.path, query, headers: { ...headers }, body: req.body, params, cookies: {}, requestBody: req.body } as ParsedRequest;
  }) as OpenAPIRouter['parseRequest'];

  return {
    operationsAtPath: (requestPath) => [...(bestPath(requestPath.split('?')[0] ?? '/')?.operations.values() ?? [])],
    route,
    ownParse: ownParse as ReadonlySet<string>,
  };
}
