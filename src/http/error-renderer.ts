import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { ApiError, InternalError, InvalidRequest, PayloadTooLarge, ServiceUnavailable, type ErrorFamily } from '../errors.js';
import { isDataException, isDatabaseUnavailable } from '../db/knex.js';
import { familyOfUnroutedPath } from './families.js';
import { noStoreHeaders } from './no-store.js';
import { errorPage } from '../web/pages.js';
import type { RequestState } from '../operations/types.js';

/**
 * Errors that libraries throw on bad input: the body parser's (co-body / raw-body carry `status`
 * and `type`; zlib's `Z_…` codes for a body that is not what its Content-Encoding says),
 * openapi-backend's path decoding (a `URIError` on bad percent-encoding), and PostgreSQL's data
 * exceptions (a value no column can hold that a check before it missed).
 */
function fromLibrary(error: { status?: number; type?: string; limit?: number; code?: unknown }, bodyLimit: number): ApiError | undefined {
  if (error instanceof URIError) return new InvalidRequest('The request path is not valid percent-encoding');
  if (typeof error.code === 'string' && error.code.startsWith('Z_')) return new InvalidRequest('The request body is not what its Content-Encoding says');
  if (isDataException(error)) return new InvalidRequest('A value in the request is outside what can be stored');
  if (error.type === 'entity.too.large' || error.status === 413) return new PayloadTooLarge(error.limit ?? bodyLimit);
  if (error.type === 'entity.parse.failed' || error instanceof SyntaxError) return new InvalidRequest('The request body is not valid JSON');
  if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') return new InvalidRequest('The request body has an unsupported encoding');
  if (error.type === 'request.aborted') return new InvalidRequest('The request was aborted');
  if (error.status === 400) return new InvalidRequest('The request body could not be read');
  return undefined;
}

/** RFC 6749 §5.2: error_description holds only %x20-21 / %x23-5B / %x5D-7E (no double quote, no backslash, ASCII only). */
function oauthDescription(description: string): string {
  return description.replace(/"/g, "'").replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?');
}

export function renderBody(error: ApiError, family: ErrorFamily, now: number, startedAt: number): { status: number; body: unknown } {
  switch (family) {
    case 'quickblox':
      return {
        status: error.quickbloxStatus ?? error.status,
        body: error.quickblox ?? { errors: { base: [error.description] } },
      };
    case 'oauth':
      return { status: error.status, body: { error: error.code, error_description: oauthDescription(error.description) } };
    case 'usergrid':
      return {
        status: error.status,
        body: { error: error.code, error_description: error.description, timestamp: now, duration: Math.max(0, now - startedAt) },
      };
  }
}

/**
 * The one place errors become responses: a thrown `ApiError` is rendered in the shape of the
 * operation's family, with the headers it carries; anything else is logged and answered as a 500
 * that says nothing about the cause.
 */
export function errorRenderer(deps: { logger: Logger; clock: Clock; bodyLimit: number; retryAfterSeconds?: number }): Middleware<RequestState> {
  return async function renderErrors(ctx, next) {
    try {
      await next();
    } catch (caught) {
      let error: ApiError;
      if (caught instanceof ApiError) error = caught;
      else {
        const mapped = isDatabaseUnavailable(caught) ? new ServiceUnavailable(deps.retryAfterSeconds ?? 5) : fromLibrary(caught as { status?: number; type?: string }, deps.bodyLimit);
        // An outage is the operator's news, once per failed request, without a stack.
        if (mapped instanceof ServiceUnavailable) deps.logger.warn({ requestId: ctx.state.requestId, reason: (caught as Error).message }, 'the database is unavailable');
        // A database refusal of a value means a check is missing before it: worth a look, not a 500.
        if (mapped && isDataException(caught)) deps.logger.warn({ requestId: ctx.state.requestId, code: (caught as { code: string }).code }, 'a value reached the database that it refused');
        if (mapped) error = mapped;
        else {
          deps.logger.error({ err: caught, requestId: ctx.state.requestId }, 'unhandled error');
          error = new InternalError();
        }
      }
      ctx.state.errorCode = error.code;
      const family = ctx.state.family ?? familyOfUnroutedPath(ctx.path);
      const { status, body } = renderBody(error, family, deps.clock.now(), ctx.state.startedAt);
      ctx.status = status;
      ctx.set(error.headers);
      // Operations that answer with pages (the OAuth login and consent) show a browser a page; other clients get JSON.
      if (ctx.state.answersWithPages && ctx.accepts('application/json', 'text/html') === 'text/html') {
        const page = errorPage(error);
        ctx.set(page.headers);
        // A page of a sign-in under way is never cached, as the spec declares for the pages that
        // succeed; an error page shares its response with the JSON error, so it is set here.
        ctx.set(noStoreHeaders);
        ctx.body = page.body;
        return;
      }
      ctx.body = body;
    }
  };
}
