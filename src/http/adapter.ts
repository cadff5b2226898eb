import type { Middleware } from 'koa';
import type { Dispatch } from './dispatch.js';
import type { TesseraContext } from '../operations/types.js';
import type { PlainRequest, RequestState } from '../operations/types.js';

/** True when the request carried a body (a bodyless POST leaves `ctx.request.body` as `{}`). */
function hasBody(ctx: TesseraContext): boolean {
  return ctx.request.length > 0 || ctx.get('transfer-encoding') !== '';
}

/** Hands each request to the spec's pipeline (`compileDispatch`), which routes it by operationId and writes the response. */
export function openapiMiddleware(dispatch: Dispatch): Middleware<RequestState> {
  return async function runOperation(ctx) {
    const request: PlainRequest = {
      method: ctx.method,
      path: ctx.path,
      query: ctx.querystring,
      headers: ctx.headers,
      body: hasBody(ctx as TesseraContext) ? ctx.request.body : undefined,
    };
    ctx.state.plainRequest = request;
    await dispatch(request, ctx as TesseraContext);
  };
}
