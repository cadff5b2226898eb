import { OpenAPIBackend, type Context as OabContext, type Document, type Handler, type Operation } from 'openapi-backend';
import { authorize, type AccessRule, type Action } from '../auth/authorize.js';
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
import { customObjectCreatorOf } from '../quickblox/custom-objects.js';
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

type TesseraOperation = Operation & { 'x-access'?: AccessRule; 'x-action'?: Action; 'x-permission-path'?: string };

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
function validationFields(errors: NonNullable<OabContext['validation']['errors']>): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const e of errors) {
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const where = (e.instancePath || '').replace(/^\/(requestBody|query|params|path|headers)\/?/, '').replace(/\//g, '.');
    const field = missing ?? (where || 'base');
    const message = extra ? `has an unknown property "${extra}"` : missing ? 'is required' : (e.message ?? 'is not valid');
    (fields[field] ??= []).push(message);
  }
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
      ctx.state.answersWithPages = answersWithPages(c.operation);
      const allowed = bodyMediaTypes(c.operation);
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
      const rule = operation['x-access'];
      if (!rule) throw new Error(`operation ${operation.operationId} must declare x-access`);
      const params = c.request.params as Record<string, string>;
      const tenant = await resolveTenant(deps.repositories, params);
      Object.assign(ctx.state, tenant);
      await authorize(
        ctx.state.principal!,
        {
          rule,
          action: actionOf(operation),
          ...tenant,
          user: params.user,
          method: operation.method,
          resource: resourcePath(operation.path, params, operation['x-permission-path']),
          id: params.id,
          className: params.className,
        },
        {
          isOrganizationAdmin: deps.repositories.organizations.hasAdmin,
          organizationSignup: deps.config.organizationSignup,
          appUserIdOf: async (applicationId, ref) => (await deps.repositories.appUsers.find(applicationId, ref))?.id,
          adminUserIdOf: async (ref) => (await deps.repositories.adminUsers.find(ref))?.id,
          grants: deps.grants,
          customObjectCreatorOf: (applicationId, className, id) => customObjectCreatorOf(deps.repositories, applicationId, className, id),
          // Read when asked (application sessions only), so a change applies at once, on every instance.
          appSessionAccessOf: async (applicationId) =>
            ((tenant.application?.id === applicationId ? tenant.application : await deps.repositories.applications.findById(applicationId))?.appSessionAccess ?? 'guest'),
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
  tables = installRouterTables(api.router);
  return { api, tables };
}
