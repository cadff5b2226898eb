import type { Context as OabContext } from 'openapi-backend';
import type { Context as KoaContext } from 'koa';
import type { operations } from '../../generated/openapi.js';
import type { RequestState } from './request-state.js';

export type OperationId = keyof operations;
type Op<K extends OperationId> = operations[K];
/**
 * The body of a request or response: JSON (a form body shares its schema), else a form (what HTML
 * pages post), else an HTML page (a string); an error answered as JSON or as a page may be either.
 */
type BodyOf<T> = T extends { content: { 'application/json': infer B } }
  ? B | (T extends { content: { 'text/html': infer H } } ? H : never)
  : T extends { content: { 'application/x-www-form-urlencoded': infer F } }
    ? F
    : T extends { content: { 'text/html': infer H } }
      ? H
      : undefined;
/** Path params arrive as strings at runtime (openapi-backend #144), whatever the spec's type. */
type PathParams<K extends OperationId> = Op<K>['parameters'] extends { path: infer P } ? { [N in keyof P]: string } : Record<string, never>;
type QueryParams<K extends OperationId> = NonNullable<Op<K>['parameters']['query']>;
export type RequestBody<K extends OperationId> = Op<K> extends { requestBody: infer R } ? BodyOf<NonNullable<R>> : undefined;

/** What a handler returns: a status the spec declares for this operation, with that status's body. */
export type OperationResult<K extends OperationId> = {
  [S in keyof Op<K>['responses']]: { status: S; body: BodyOf<Op<K>['responses'][S]>; headers?: Record<string, string> };
}[keyof Op<K>['responses']];

export type HandlerContext<K extends OperationId> = OabContext<RequestBody<K>, PathParams<K>, QueryParams<K>>;
export type TesseraContext = KoaContext & { state: RequestState };

export type OperationHandler<K extends OperationId> = (
  c: HandlerContext<K>,
  ctx: TesseraContext,
) => Promise<OperationResult<K>> | OperationResult<K>;

/** Exactly one handler per operationId of the spec: a missing or extra one is a compile error. */
export type OperationHandlers = { [K in OperationId]: OperationHandler<K> };
