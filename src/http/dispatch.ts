import type { Context as OabContext, OpenAPIBackend, Operation, ParsedRequest } from 'openapi-backend';
import type { PlainRequest, TesseraContext } from '../operations/types.js';
import { writtenAsNumber } from './number-spelling.js';
import type { RouterTables } from './router-tables.js';

/** A step of the pipeline, as openapi-backend would call it: its context, then Koa's. */
export type PipelineStep = (c: OabContext, ctx: TesseraContext) => unknown;
type Step = PipelineStep;
/** Runs one request through the pipeline (`compileDispatch`). */
export type Dispatch = (req: PlainRequest, ctx: TesseraContext) => Promise<void>;
type ErrorValidator = ((parameters: object) => boolean) & { errors?: unknown[] | null };

/** The pipeline's named steps, in order (see `createApi`). */
export interface PipelineSteps {
  answerNotFound: Step;
  answerMethodNotAllowed: Step;
  identifyOperation: Step;
  authenticate: Step;
  refuseUnauthenticated: Step;
  refuseInvalidRequest: Step;
  authorizeOperation: Step;
  writeResponse: Step;
}

/** What the spec decides about one operation's request, read once at boot. */
interface CompiledOperation {
  operation: Operation;
  handler: Step;
  /** Each security requirement (any one must be met) as the schemes it needs (all of them). */
  requirements: string[][];
  /** Every scheme any requirement names, each once: all of them run, together. */
  schemes: string[];
  /** openapi-backend's request validators, compiled by Ajv at start-up or at the operation's first request (`validatorsOf`). */
  validators?: ErrorValidator[];
  /** Query parameters declared as arrays: one value sent alone becomes a list of one. */
  arrayQuery: string[];
  /** The path and query are read by the route table's own parser (`installRouterTables`). */
  ownParse: boolean;
  /** Its path and query parameters the spec types as numbers (`{id}`, `limit`, `ttl`…), and as which. */
  numbers: { in: 'path' | 'query'; name: string; type: 'integer' | 'number' }[];
}

/** The operation's path and query parameters typed `integer` or `number`, read from the spec at boot. */
function numberParameters(operation: Operation): CompiledOperation['numbers'] {
  return (operation.parameters ?? []).flatMap((p) => {
    if ('$ref' in p || (p.in !== 'path' && p.in !== 'query')) return [];
    const type = (p.schema as { type?: string } | undefined)?.type;
    return type === 'integer' || type === 'number' ? [{ in: p.in, name: p.name, type }] : [];
  });
}

/** Request validation's errors for the number parameters sent in another spelling (`writtenAsNumber`); null when there are none. */
function misspeltNumbers(plan: CompiledOperation, request: ParsedRequest): unknown[] | null {
  let errors: unknown[] | null = null;
  for (const parameter of plan.numbers) {
    const value = (parameter.in === 'path' ? request.params : request.query)[parameter.name] as unknown;
    if (typeof value !== 'string' || writtenAsNumber(value, parameter.type)) continue;
    (errors ??= []).push({ instancePath: `/${parameter.in}/${parameter.name}`, keyword: 'type', params: { type: parameter.type }, message: `must be ${parameter.type}` });
  }
  return errors;
}

/** Whether a scheme's result meets its part of a requirement: a value that is neither false nor a failure. */
const met = (result: unknown): boolean => Boolean(result) && !(typeof result === 'object' && result !== null && 'error' in result && (result as { error: unknown }).error);

/**
 * Runs one request through the spec's pipeline, with everything the spec decides about an
 * operation compiled once at boot. openapi-backend loaded and dereferenced the spec and compiled its
 * validators; its `handleRequest` re-derived per request what does not change between requests
 * (the security schemes of the operation with lodash, the query parameters declared as arrays, the
 * validators to run) and parsed each request up to four times. This runs the same steps in the
 * same order, with the same rules:
 *
 * route (404 / 405) → identifyOperation → every scheme the requirements name, together → authenticate
 * → refuseUnauthenticated when no requirement is met → request validation (refuseInvalidRequest)
 * → authorizeOperation → the handler → writeResponse.
 *
 * Requests the route table cannot parse itself (cookies, a body that is not an object, query
 * values openapi-backend reshapes) are parsed and validated by openapi-backend as before.
 */
export function compileDispatch(
  api: OpenAPIBackend,
  tables: RouterTables,
  steps: PipelineSteps,
  handlers: Record<string, Step>,
  ownParse: ReadonlySet<string>,
  options: { compileValidatorsAtStart: boolean },
): Dispatch {
  const securityHandlers = api.securityHandlers as Record<string, Step | undefined>;
  const compiled = new Map<string, CompiledOperation>();
  const validatorsOf = (plan: CompiledOperation): ErrorValidator[] =>
    (plan.validators ??= (api.validator.getRequestValidatorsForOperation(plan.operation.operationId!) ?? []) as ErrorValidator[]);
  for (const operation of api.getOperations()) {
    const operationId = operation.operationId!;
    const requirements = (operation.security ?? []).map((requirement) => Object.keys(requirement));
    compiled.set(operationId, {
      operation,
      handler: handlers[operationId]!,
      requirements,
      schemes: [...new Set(requirements.flat())],
      arrayQuery: (operation.parameters ?? []).flatMap((p) =>
        !('$ref' in p) && p.in === 'query' && (p.schema as { type?: string } | undefined)?.type === 'array' ? [p.name] : [],
      ),
      ownParse: ownParse.has(operationId),
      numbers: numberParameters(operation),
    });
  }
  if (options.compileValidatorsAtStart) for (const plan of compiled.values()) validatorsOf(plan);

  /** Runs the operation's schemes together; a scheme that throws has failed, as in openapi-backend. */
  async function runSchemes(plan: CompiledOperation, c: OabContext, ctx: TesseraContext): Promise<Record<string, unknown>> {
    const results: Record<string, unknown> = {};
    await Promise.all(
      plan.schemes.map(async (name) => {
        const handler = securityHandlers[name];
        results[name] = undefined;
        if (!handler) return;
        try {
          results[name] = await handler(c, ctx);
        } catch (error) {
          results[name] = { error: error || new Error('security handler rejected') };
        }
      }),
    );
    return results;
  }

  /**
   * openapi-backend's request validation on a request the route table parsed: the compiled
   * validators over `{ path, query, header, cookie, requestBody }`, Ajv coercing query values in
   * place. Path parameters stay the strings the path holds, as openapi-backend leaves them.
   */
  function validated(plan: CompiledOperation, request: ParsedRequest, body: unknown, contentType: string): unknown[] | null {
    const query = request.query as Record<string, unknown>;
    for (const name of plan.arrayQuery) if (typeof query[name] === 'string') query[name] = [query[name]];
    const parameters: Record<string, unknown> = { path: { ...request.params }, query, header: request.headers, cookie: request.cookies };
    if (typeof body === 'object' || contentType === 'application/json') parameters.requestBody = body;
    const errors: unknown[] = [];
    for (const validate of validatorsOf(plan)) {
      validate(parameters);
      if (validate.errors) errors.push(...validate.errors);
    }
    return errors.length ? errors : null;
  }

  return async function dispatch(req: PlainRequest, ctx: TesseraContext): Promise<void> {
    const c = { api } as OabContext;
    const routed = tables.route(req.method, req.path);
    if (routed === 'not found') return void steps.answerNotFound(c, ctx);
    if (routed === 'method not allowed') return void steps.answerMethodNotAllowed(c, ctx);
    const plan = compiled.get(routed.operationId!)!;
    c.operation = plan.operation;
    const headers = req.headers;
    const fast = plan.ownParse && headers.cookie === undefined && (req.body === undefined || typeof req.body === 'object');
    c.request = api.router.parseRequest(req as never, plan.operation);
    await steps.identifyOperation(c, ctx);

    const results = await runSchemes(plan, c, ctx);
    const authorized = plan.requirements.some((schemes) => schemes.every((name) => met(results[name])));
    // openapi-backend's shape, `{ [scheme]: result, authorized }`, completed in place: a spread
    // followed by a new field is V8's slow path for object literals (see router-tables.ts).
    results.authorized = authorized;
    c.security = results as OabContext['security'];
    await steps.authenticate(c, ctx);
    if (!authorized && plan.requirements.length > 0) return void (await steps.refuseUnauthenticated(c, ctx));

    const misspelt = plan.numbers.length > 0 ? misspeltNumbers(plan, c.request) : null;
    if (misspelt) {
      c.validation = { valid: false, errors: misspelt as never };
      return void (await steps.refuseInvalidRequest(c, ctx));
    }
    // The earlier steps may have replaced the body (a form's fields coerced, a form's access_token taken out).
    if (fast) {
      const contentType = String(headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      c.request.requestBody = req.body;
      const errors = validated(plan, c.request, req.body, contentType);
      c.validation = { valid: errors === null, errors: errors as never };
      if (errors) return void (await steps.refuseInvalidRequest(c, ctx));
    } else {
      c.validation = api.validator.validateRequest(req as never, plan.operation);
      if (c.validation.errors) return void (await steps.refuseInvalidRequest(c, ctx));
      c.request = api.router.parseRequest(c.validation.coerced as never, plan.operation);
    }

    await steps.authorizeOperation(c, ctx);
    c.response = await plan.handler(c, ctx);
    await steps.writeResponse(c, ctx);
  };
}
