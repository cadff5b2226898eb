import { OpenAPIBackend, type Context as OabContext, type Document, type Handler, type Operation } from 'openapi-backend';
import { accessRules, actions, authorize, type AccessRule, type Action, type AuthorizationFacts } from '../auth/authorize.js';
import { resourcePath } from '../auth/resource-path.js';
import { settlePrincipal, unauthorized } from '../auth/settle.js';
import { accessToken } from '../auth/schemes/accessToken.js';
import { basicAuth } from '../auth/schemes/basicAuth.js';
import { bearerAuth } from '../auth/schemes/bearerAuth.js';
import { clientCredentials } from '../auth/schemes/clientCredentials.js';
import { oauth2 } from '../auth/schemes/oauth2.js';
import { qbToken } from '../auth/schemes/QBToken.js';
import type { Deps } from '../deps.js';
import { MethodNotAllowed, NotFound, ResponseBreaksSpec, UnsupportedMediaType, ValidationFailed } from '../errors.js';
import { collectionOf } from '../quickblox/custom-objects.js';
import { addFormats } from './ajv-interop.js';
import { familyOf, familyOfUnroutedPath } from './families.js';
import { coerceFormBody } from './form-coercion.js';
import { noStoreAnswers, noStoreHeaders } from './no-store.js';
import type { OperationHandlers, TesseraContext } from './operation-types.js';
import { installRouterTables, type RouterTables } from './router-tables.js';
import { resolveTenant } from './tenant.js';


/** The request handed to openapi-backend: a plain object (tooling.md §1.1: Koa's getters do not survive `{...req}`). */
export interface PlainRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type TesseraOperation = Operation & { 'x-access'?: unknown; 'x-action'?: unknown; 'x-permission-path'?: string };

/** What the spec decides about authorizing one operation, read once at boot. */
interface AccessPlan {
  rule: AccessRule;
  action: Action;
  /** The scopes its `oauth2` requirement names; undefined when OAuth tokens may not call it. */
  scopes?: readonly string[];
}

/** What the spec says about one operation's request and answers, read once at boot rather than per request. */
interface RequestPlan {
  /** The media types its request body may have; undefined when it takes none. */
  bodyMediaTypes?: string[];
  /** Its success is an HTML page (the OAuth login and consent pages). */
  answersWithPages: boolean;
}

/**
 * Reads every operation's `x-access`, `x-action` and `oauth2` scopes, and refuses to boot on a
 * missing or unknown value: a typo in the spec must stop the server, not open an operation.
 */
export function accessPlans(operations: readonly TesseraOperation[]): Map<string, AccessPlan> {
  const plans = new Map<string, AccessPlan>();
  for (const operation of operations) {
    const { operationId } = operation;
    const rule = operation['x-access'];
    if (typeof rule !== 'string' || !accessRules.has(rule)) throw new Error(`operation ${operationId} must declare x-access, one of ${[...accessRules].join(', ')}`);
    const declaredAction = operation['x-action'];
    if (declaredAction !== undefined && (typeof declaredAction !== 'string' || !actions.has(declaredAction))) {
      throw new Error(`operation ${operationId} declares x-action ${JSON.stringify(declaredAction)}: it must be read or write`);
    }
    const oauth2 = (operation.security ?? []).find((requirement) => 'oauth2' in requirement)?.oauth2;
    plans.set(operationId!, {
      rule: rule as AccessRule,
      action: actionOf(operation as { method: string; 'x-action'?: Action }),
      ...(oauth2 && { scopes: oauth2 }),
    });
  }
  return plans;
}

/** openapi-backend falls back to a 501 for an operation without a handler; Tessera refuses to boot instead. */
export function checkEveryOperationHandled(operations: readonly Operation[], handlers: object): void {
  const missing = operations.map((operation) => operation.operationId!).filter((id) => !Object.hasOwn(handlers, id));
  if (missing.length) throw new Error(`no handler for the operation(s) ${missing.join(', ')}`);
}

/** The entity a path names: Usergrid's `{collection}/{entity}`, or a QuickBlox custom object's `{className}/{id}`. */
function entityOf(params: Record<string, string | undefined>): { collection: string; ref: string } | undefined {
  if (params.collection !== undefined && params.entity !== undefined) return { collection: params.collection, ref: params.entity };
  if (params.className !== undefined && params.id !== undefined) return { collection: collectionOf(params.className), ref: params.id };
  return undefined;
}

/** The top-level field names of a JSON or form body, for the rules that depend on what a body changes. */
function fieldsOf(body: unknown): string[] {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
}

const readMethods = new Set(['get', 'head', 'options']);

/**
 * Whether an operation reads or writes, for read-only credentials (a read API token, a QuickBlox
 * application session, an OAuth token without `write`): `x-action` when the spec says so, else its
 * method. The `oauth2` scopes the spec declares must agree (test/spec/spec-rules.test.ts).
 */
export function actionOf(operation: { method: string; 'x-action'?: Action }): Action {
  return operation['x-action'] ?? (readMethods.has(operation.method) ? 'read' : 'write');
}

/** Ajv's errors → `{ field: [messages] }`, with `body/` and `query/` prefixes dropped for readability. */
/** At most this many problems are described: an answer stays small whatever the request got wrong. */
const describedProblems = 20;

function validationFields(errors: NonNullable<OabContext['validation']['errors']>): Record<string, string[]> {
  // No prototype: a field name comes from the request (`constructor`, `__proto__` are just names here).
  const fields: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  // The first few problems say what is wrong; the answer stays small however many there are.
  const told = errors.slice(0, describedProblems);
  for (const e of told) {
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const where = (e.instancePath || '').replace(/^\/(requestBody|query|params|path|headers)\/?/, '').replace(/\//g, '.');
    const field = missing ?? (where || 'base');
    const message = extra ? `has an unknown property "${extra}"` : missing ? 'is required' : (e.message ?? 'is not valid');
    (fields[field] ??= []).push(message);
  }
  if (errors.length > told.length) (fields.base ??= []).push(`and ${errors.length - told.length} more problems`);
  return fields;
}

function describe(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .map(([field, messages]) => (field === 'base' ? messages.join('; ') : `${field} ${messages.join(', ')}`))
    .join('; ');
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

/**
 * Builds the API: openapi-backend in strict mode (an operation without a handler, or a handler or
 * scheme the spec does not name, fails at boot), request validation on, responses checked
 * against the spec when `validateResponses` is on. The pipeline, in openapi-backend's order:
 * route → security (one principal) → validation → tenant + authorization → handler → response.
 */
export async function createApi(deps: Deps, document: Document, handlers: OperationHandlers): Promise<{ api: OpenAPIBackend; tables: RouterTables }> {
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

  let tables: RouterTables | undefined;
  let plans: Map<string, AccessPlan> | undefined;
  let requestPlans: Map<string, RequestPlan> | undefined;
  const authorizationFacts: AuthorizationFacts = {
    isOrganizationAdmin: deps.repositories.organizations.hasAdmin,
    organizationSignup: deps.config.organizationSignup,
    appUserIdOf: async (applicationId, ref) => (await deps.repositories.appUsers.find(applicationId, ref))?.id,
    adminUserIdOf: async (ref) => (await deps.repositories.adminUsers.find(ref))?.id,
    grants: deps.grants,
    entityCreatorOf: async (applicationId, collection, ref) => {
      const entity = await deps.repositories.entities.find(applicationId, collection, ref);
      return entity && entity.creatorId;
    },
    isFirstPartyClient: async (clientId) => (await deps.repositories.oauthClients.findByClientId(clientId))?.firstParty === true,
    appSessionAccessOf: async (applicationId) => (await deps.repositories.applications.findById(applicationId))?.appSessionAccess ?? 'guest',
  };
  const noStore = noStoreAnswers(document);

  api.register({
    notFound: (_c: OabContext, ctx: TesseraContext) => {
      ctx.state.family = familyOfUnroutedPath(ctx.path);
      throw new NotFound('No such resource', 'service_resource_not_found');
    },
    methodNotAllowed: (_c: OabContext, ctx: TesseraContext) => {
      const declared = tables?.operationsAtPath(ctx.path) ?? [];
      ctx.state.family = declared[0] ? familyOf(declared[0]) : familyOfUnroutedPath(ctx.path);
      throw new MethodNotAllowed(declared.map((op) => op.method.toUpperCase()));
    },
    postRoutingHandler: (c: OabContext, ctx: TesseraContext) => {
      if (!c.operation) return;
      ctx.state.family = familyOf(c.operation);
      ctx.state.operationId = c.operation.operationId;
      const requestPlan = requestPlans?.get(c.operation.operationId!);
      // Unreachable: built at boot from the same operations. Fails closed all the same.
      if (!requestPlan) throw new Error(`operation ${c.operation.operationId} has no request plan`);
      ctx.state.answersWithPages = requestPlan.answersWithPages;
      const allowed = requestPlan.bodyMediaTypes;
      const request = ctx.state.plainRequest as PlainRequest;
      if (allowed && request.body !== undefined && !ctx.request.is(allowed)) throw new UnsupportedMediaType(allowed);
      if (request.body !== undefined && ctx.request.is('application/x-www-form-urlencoded')) {
        request.body = coerceFormBody(c.operation, request.body);
      }
    },
    postSecurityHandler: settlePrincipal(deps),
    unauthorizedHandler: () => unauthorized(),
    validationFail: (c: OabContext) => {
      const fields = validationFields(c.validation.errors ?? []);
      throw new ValidationFailed(describe(fields), fields);
    },
    preOperationHandler: async (c: OabContext, ctx: TesseraContext) => {
      const operation = c.operation as TesseraOperation;
      const plan = plans?.get(operation.operationId!);
      // Unreachable after the boot check; fails closed all the same.
      if (!plan) throw new Error(`operation ${operation.operationId} has no access plan`);
      const params = c.request.params as Record<string, string>;
      const tenant = await resolveTenant(deps.tenants, params);
      Object.assign(ctx.state, tenant);
      ctx.state.standing = await authorize(
        ctx.state.principal!,
        {
          ...plan,
          ...tenant,
          user: params.user,
          method: operation.method,
          resource: resourcePath(operation.path, params, operation['x-permission-path']),
          id: params.id,
          className: params.className,
          entity: entityOf(params),
          bodyFields: fieldsOf(c.request.requestBody),
        },
        {
          ...authorizationFacts,
          // The path's application as the tenant cache has it: a change through this instance applies
          // at once, one made by another instance within TESSERA_TENANT_CACHE_TTL_MS (1 s).
          appSessionAccessOf: async (applicationId) =>
            tenant.application?.id === applicationId ? tenant.application.appSessionAccess : authorizationFacts.appSessionAccessOf(applicationId),
        },
      );
    },
    postResponseHandler: (c: OabContext, ctx: TesseraContext) => {
      const result = c.response as HandlerResult;
      if (deps.config.validateResponses && c.operation) {
        // A body-less answer (204) is checked as null, which is how openapi-backend describes "no content".
        const check = c.api.validateResponse(result.body ?? null, c.operation, result.status);
        if (check.errors?.length) {
          deps.logger.error({ operationId: c.operation.operationId, status: result.status, errors: check.errors }, 'response breaks the spec');
          throw new ResponseBreaksSpec(`The response of ${c.operation.operationId} breaks the spec: ${JSON.stringify(check.errors[0])}`);
        }
      }
      ctx.status = result.status;
      if (result.headers) ctx.set(result.headers);
      if (c.operation && noStore.has(`${c.operation.operationId} ${result.status}`)) ctx.set(noStoreHeaders);
      ctx.body = result.body ?? '';
    },
  });
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
  plans = accessPlans(operations as TesseraOperation[]);
  requestPlans = new Map(operations.map((op) => [op.operationId!, { bodyMediaTypes: bodyMediaTypes(op), answersWithPages: answersWithPages(op) }]));
  tables = installRouterTables(api.router);
  return { api, tables };
}
