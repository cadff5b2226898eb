import { OpenAPIBackend, type Document, type Handler, type Operation } from 'openapi-backend';
import { accessToken } from '../auth/schemes/accessToken.js';
import { basicAuth } from '../auth/schemes/basicAuth.js';
import { bearerAuth } from '../auth/schemes/bearerAuth.js';
import { clientCredentials } from '../auth/schemes/clientCredentials.js';
import { oauth2 } from '../auth/schemes/oauth2.js';
import { qbToken } from '../auth/schemes/QBToken.js';
import type { Deps } from '../deps.js';
import { addFormats } from './ajv-interop.js';
import { compileDispatch, type Dispatch, type PipelineStep, type PipelineSteps } from './dispatch.js';
import { noStoreAnswers } from './no-store.js';
import type { OperationHandlers } from '../operations/types.js';
import { installRouterTables, type RouterTables } from './router-tables.js';
import { authenticate, refuseUnauthenticated } from './steps/authenticate.js';
import { accessPlans, authorizeOperation, type AccessPlan, type TesseraOperation } from './steps/authorize-operation.js';
import { answerMethodNotAllowed, answerNotFound, identifyOperation, requestPlanOf, type RequestPlan } from './steps/identify-operation.js';
import { refuseInvalidRequest } from './steps/validate-request.js';
import { writeResponse } from './steps/write-response.js';

/** openapi-backend falls back to a 501 for an operation without a handler; Tessera refuses to boot instead. */
export function checkEveryOperationHandled(operations: readonly Operation[], handlers: object): void {
  const missing = operations.map((operation) => operation.operationId!).filter((id) => !Object.hasOwn(handlers, id));
  if (missing.length) throw new Error(`no handler for the operation(s) ${missing.join(', ')}`);
}

/**
 * Builds the API: openapi-backend in strict mode (an operation without a handler, or a handler or
 * scheme the spec does not name, fails at boot), request validation on, responses checked
 * against the spec when `validateResponses` is on. The pipeline's named steps, in openapi-backend's
 * order: identifyOperation (or answerNotFound / answerMethodNotAllowed) → the schemes, then
 * authenticate (or refuseUnauthenticated) → validation (refuseInvalidRequest) → authorizeOperation
 * → the handler → writeResponse. What each step reads from the spec is computed here, at boot.
 */
export async function createApi(deps: Deps, document: Document, handlers: OperationHandlers): Promise<{ api: OpenAPIBackend; tables: RouterTables; dispatch: Dispatch }> {
  const api = new OpenAPIBackend({
    definition: structuredClone(document),
    strict: true,
    quick: true,
    validate: true,
    coerceTypes: true,
    ajvOpts: { allErrors: true },
    customizeAjv: (ajv) => {
      addFormats(ajv as never);
      return ajv;
    },
  });

  // Filled once openapi-backend has loaded the operations, before the first request.
  let tables: RouterTables | undefined;
  const requestPlans = new Map<string, RequestPlan>();
  const plans = new Map<string, AccessPlan>();

  const steps: PipelineSteps = {
    answerNotFound,
    answerMethodNotAllowed: answerMethodNotAllowed(() => tables),
    identifyOperation: identifyOperation(requestPlans),
    authenticate: authenticate(deps),
    refuseUnauthenticated,
    refuseInvalidRequest,
    authorizeOperation: authorizeOperation(deps, plans),
    writeResponse: writeResponse(deps, noStoreAnswers(document)),
  };
  // Registered with openapi-backend too, so that its strict mode checks them at init.
  api.register({
    notFound: steps.answerNotFound,
    methodNotAllowed: steps.answerMethodNotAllowed,
    postRoutingHandler: steps.identifyOperation,
    postSecurityHandler: steps.authenticate,
    unauthorizedHandler: steps.refuseUnauthenticated,
    validationFail: steps.refuseInvalidRequest,
    preOperationHandler: steps.authorizeOperation,
    postResponseHandler: steps.writeResponse,
  } as unknown as Record<string, Handler>);
  // The handlers' types are checked against the spec by `satisfies OperationHandlers`; openapi-backend
  // only knows an untyped map.
  api.register(handlers as unknown as Record<string, Handler>);

  api.registerSecurityHandler('bearerAuth', bearerAuth(deps));
  api.registerSecurityHandler('oauth2', oauth2(deps));
  api.registerSecurityHandler('accessToken', accessToken(deps));
  const client = clientCredentials(deps);
  api.registerSecurityHandler('clientId', client);
  api.registerSecurityHandler('clientSecret', client);
  api.registerSecurityHandler('basicAuth', basicAuth(deps));
  api.registerSecurityHandler('QBToken', qbToken(deps));

  await api.init();
  const operations = api.getOperations();
  checkEveryOperationHandled(operations, handlers);
  for (const [operationId, plan] of accessPlans(operations as TesseraOperation[])) plans.set(operationId, plan);
  for (const operation of operations) requestPlans.set(operation.operationId!, requestPlanOf(operation));
  tables = installRouterTables(api.router);
  const dispatch = compileDispatch(api, tables, steps, handlers as unknown as Record<string, PipelineStep>, tables.ownParse, {
    compileValidatorsAtStart: deps.config.compileValidatorsAtStart,
  });
  return { api, tables, dispatch };
}
