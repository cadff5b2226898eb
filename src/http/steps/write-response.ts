import type { Context as OabContext } from 'openapi-backend';
import type { Deps } from '../../deps.js';
import { ResponseBreaksSpec } from '../../errors.js';
import { noStoreHeaders } from '../no-store.js';
import type { TesseraContext } from '../../operations/types.js';

/** What a handler returns; typed per operation by `OperationResult`. */
export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** With `validateResponses` on (tests, contract runs): an answer that breaks the spec is a 500, logged. */
function checkResponseAgainstSpec(deps: Pick<Deps, 'logger'>, c: OabContext, result: HandlerResult): void {
  if (!c.operation) return;
  // A body-less answer (204) is checked as null, which is how openapi-backend describes "no content".
  const check = c.api.validateResponse(result.body ?? null, c.operation, result.status);
  if (!check.errors?.length) return;
  deps.logger.error({ operationId: c.operation.operationId, status: result.status, errors: check.errors }, 'response breaks the spec');
  throw new ResponseBreaksSpec(`The response of ${c.operation.operationId} breaks the spec: ${JSON.stringify(check.errors[0])}`);
}

/**
 * The last step: the handler's status, headers and body, and the headers the spec declares for
 * that answer. `noStore` holds the answers (`operationId status`) whose response declares
 * `Cache-Control: no-store`, read from the spec at boot (`noStoreAnswers`).
 */
export function writeResponse(deps: Pick<Deps, 'config' | 'logger'>, noStore: ReadonlySet<string>) {
  return function writeResponse(c: OabContext, ctx: TesseraContext): void {
    const result = c.response as HandlerResult;
    if (deps.config.validateResponses) checkResponseAgainstSpec(deps, c, result);
    ctx.status = result.status;
    if (result.headers) ctx.set(result.headers);
    if (c.operation && noStore.has(`${c.operation.operationId} ${result.status}`)) ctx.set(noStoreHeaders);
    ctx.body = result.body ?? '';
  };
}
