import type { Context as OabContext, Operation } from 'openapi-backend';
import { InvalidRequest, MethodNotAllowed, NotFound, UnsupportedMediaType } from '../../errors.js';
import { familyOf, familyOfUnroutedPath } from '../families.js';
import { coerceBody, coercedMediaType } from '../form-coercion.js';
import type { TesseraContext } from '../../operations/types.js';
import type { RouterTables } from '../router-tables.js';

/** What the spec says about one operation's request and answers, read once at boot rather than per request. */
export interface RequestPlan {
  /** The media types its request body may have; undefined when it takes none. */
  bodyMediaTypes?: string[];
  /** Its success is an HTML page (the OAuth login and consent pages). */
  answersWithPages: boolean;
}

/** The media types an operation's request body may have; undefined when it takes none. */
function bodyMediaTypes(operation: Operation): string[] | undefined {
  const content = (operation.requestBody as { content?: Record<string, unknown> } | undefined)?.content;
  return content ? Object.keys(content) : undefined;
}

/** True when the operation's success is an HTML page (the OAuth login and consent pages). */
function answersWithPages(operation: Operation): boolean {
  const responses = (operation.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>;
  return Object.entries(responses).some(([status, response]) => status.startsWith('2') && response.content?.['text/html'] !== undefined);
}

export function requestPlanOf(operation: Operation): RequestPlan {
  return { bodyMediaTypes: bodyMediaTypes(operation), answersWithPages: answersWithPages(operation) };
}

/** No operation has this path: 404 in the shape of the family the path looks like. */
export function answerNotFound(_c: OabContext, ctx: TesseraContext): never {
  ctx.state.family = familyOfUnroutedPath(ctx.path);
  throw new NotFound('No such resource', 'service_resource_not_found');
}

/** Operations have this path, none this method: 405 with the methods they have. */
export function answerMethodNotAllowed(tables: () => RouterTables | undefined) {
  return function answerMethodNotAllowed(_c: OabContext, ctx: TesseraContext): never {
    const declared = tables()?.operationsAtPath(ctx.path) ?? [];
    ctx.state.family = declared[0] ? familyOf(declared[0]) : familyOfUnroutedPath(ctx.path);
    throw new MethodNotAllowed(declared.map((op) => op.method.toUpperCase()));
  };
}

/** From here on an error is rendered in the operation's family's shape, and logged with its operationId. */
function noteOperation(ctx: TesseraContext, operation: Operation, plan: RequestPlan): void {
  ctx.state.family = familyOf(operation);
  ctx.state.operationId = operation.operationId;
  ctx.state.answersWithPages = plan.answersWithPages;
}

/**
 * Two `Authorization` headers are two credentials: 400, as for any two mechanisms. Node keeps only
 * the first for `ctx.get`, while a proxy in front may act on the last; the two must never disagree
 * about who the caller is.
 */
function refuseRepeatedAuthorization(ctx: TesseraContext): void {
  if ((ctx.req.headersDistinct.authorization?.length ?? 0) > 1) throw new InvalidRequest('Send one credential, by one mechanism (got several Authorization headers)');
}

/** 415 for a body of a media type the operation does not take. */
function refuseUnsupportedMediaType(ctx: TesseraContext, plan: RequestPlan): void {
  const allowed = plan.bodyMediaTypes;
  if (allowed && ctx.state.plainRequest?.body !== undefined && !ctx.request.is(allowed)) throw new UnsupportedMediaType(allowed);
}

/** A body's strings (a form's, a QuickBlox client's JSON) become the types its schema declares, before request validation sees them. */
function coerceBodyFields(ctx: TesseraContext, operation: Operation): void {
  const request = ctx.state.plainRequest;
  if (request?.body === undefined) return;
  const mediaType = coercedMediaType(operation, (type) => ctx.request.is(type) !== false);
  if (mediaType) request.body = coerceBody(operation, mediaType, request.body);
}

/** The first step once routed: which operation this is, and whether its body can be read as it declares. */
export function identifyOperation(plans: ReadonlyMap<string, RequestPlan>) {
  return function identifyOperation(c: OabContext, ctx: TesseraContext): void {
    if (!c.operation) return;
    const plan = plans.get(c.operation.operationId!);
    // Unreachable: built at boot from the same operations. Fails closed all the same.
    if (!plan) throw new Error(`operation ${c.operation.operationId} has no request plan`);
    noteOperation(ctx, c.operation, plan);
    refuseRepeatedAuthorization(ctx);
    refuseUnsupportedMediaType(ctx, plan);
    coerceBodyFields(ctx, c.operation);
  };
}
