import type { Context as OabContext } from 'openapi-backend';
import type { Context as KoaContext } from 'koa';
import type { operations } from '../../generated/openapi.js';
import type { ApplicationRecord } from '../db/repositories/applications.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import type { Standing } from '../auth/authorize.js';
import type { PresentedCredential } from '../auth/authentication.js';
import type { Principal } from '../auth/principal.js';
import type { ErrorFamily } from '../errors.js';

/**
 * The contract between the pipeline (http/) and the handlers (operations/): what a handler receives
 * and returns for each operationId, and what the pipeline has learnt about the request by then
 * (`ctx.state`). It lives here, below http/, so that handlers import nothing from the pipeline.
 */
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

/** The request handed to openapi-backend: a plain object (tooling.md §1.1: Koa's getters do not survive `{...req}`). */
export interface PlainRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** What the pipeline learns about a request, in `ctx.state`, step by step. */
export interface RequestState {
  requestId: string;
  startedAt: number;
  /** The code of the error the request was answered with (`ApiError.code`), for its access-log line. */
  errorCode?: string;
  /** Set once the operation is known, so errors are rendered in its family's shape. */
  family?: ErrorFamily;
  operationId?: string;
  /** The operation answers with HTML pages, so its errors are pages too for a browser. */
  answersWithPages?: boolean;
  /** Set by the security step; a guest when no credential was sent and the operation allows that. */
  principal?: Principal;
  /** The credential the request presented, as the security step read it (none for a guest); handlers read it here, never from headers. */
  presented?: PresentedCredential;
  /** The organization and application named by the path, once resolved. */
  organization?: OrganizationRecord;
  application?: ApplicationRecord;
  /** How the authorization step let the principal through (an administrator, or the record's owner). */
  standing?: Standing;
  /** The request as handed to openapi-backend (its body is coerced in place for form clients). */
  plainRequest?: PlainRequest;
  /** Per-request memo of credential resolution, so two schemes reading one header resolve it once. */
  credentialMemo?: Map<string, Promise<unknown>>;
}
