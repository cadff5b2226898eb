import type { Context as OabContext, Operation } from 'openapi-backend';
import { accessRules, actions, authorize, type AccessRule, type Action, type AuthorizationFacts } from '../../auth/authorize.js';
import { resourcePath } from '../../auth/resource-path.js';
import type { Deps } from '../../deps.js';
import { collectionOf } from '../../quickblox/custom-objects.js';
import { externalIdHolder } from '../../quickblox/users.js';
import type { TesseraContext } from '../../operations/types.js';
import { resolveTenant } from '../tenant.js';

export type TesseraOperation = Operation & { 'x-access'?: unknown; 'x-action'?: unknown; 'x-permission-path'?: string };

/** What the spec decides about authorizing one operation, read once at boot. */
export interface AccessPlan {
  rule: AccessRule;
  action: Action;
  /** The scopes its `oauth2` requirement names; undefined when OAuth tokens may not call it. */
  scopes?: readonly string[];
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

/** What the authorization rules may ask of the database, built once. */
function authorizationFactsOf(deps: Deps): AuthorizationFacts {
  return {
    isOrganizationAdmin: deps.repositories.organizations.hasAdmin,
    organizationSignup: deps.config.organizationSignup,
    appUserIdOf: async (applicationId, ref) => (await deps.repositories.appUsers.find(applicationId, ref))?.id,
    adminUserIdOf: async (ref) => (await deps.repositories.adminUsers.find(ref))?.id,
    permissionCache: deps.permissionCache,
    entityCreatorOf: async (applicationId, collection, ref) => {
      const entity = await deps.repositories.entities.find(applicationId, collection, ref);
      return entity && entity.creatorId;
    },
    isFirstPartyClient: async (clientId) => (await deps.repositories.oauthClients.findByClientId(clientId))?.firstParty === true,
    appSessionAccessOf: async (applicationId) => (await deps.repositories.applications.findById(applicationId))?.appSessionAccess ?? 'guest',
    externalIdHolderOf: async (applicationId, externalId) => (await externalIdHolder(deps, applicationId, externalId))?.id,
  };
}

/**
 * The step after validation: the organization and application the path names, then may this
 * principal do this operation there (`auth/authorize.ts` decides; 403 or 404 when not).
 */
export function authorizeOperation(deps: Deps, plans: ReadonlyMap<string, AccessPlan>) {
  const facts = authorizationFactsOf(deps);
  return async function authorizeOperation(c: OabContext, ctx: TesseraContext): Promise<void> {
    const operation = c.operation as TesseraOperation;
    const plan = plans.get(operation.operationId!);
    // Unreachable after the boot check; fails closed all the same.
    if (!plan) throw new Error(`operation ${operation.operationId} has no access plan`);
    const params = c.request.params as Record<string, string>;
    const tenant = await resolveTenant(deps.tenants, params);
    Object.assign(ctx.state, tenant);
    ctx.state.standing = await authorize(
      ctx.state.principal!,
      // Written out field by field: spreading the plan and the tenant and then adding fields took
      // V8's slow path for object literals on every request (~3 µs; see router-tables.ts).
      {
        rule: plan.rule,
        action: plan.action,
        scopes: plan.scopes,
        organization: tenant.organization,
        application: tenant.application,
        user: params.user,
        method: operation.method,
        resource: resourcePath(operation.path, params, operation['x-permission-path']),
        id: params.id,
        className: params.className,
        entity: entityOf(params),
        bodyFields: fieldsOf(c.request.requestBody),
      },
      {
        ...facts,
        // The path's application as the tenant cache has it: a change through this instance applies
        // at once, one made by another instance within TESSERA_TENANT_CACHE_TTL_MS (1 s).
        appSessionAccessOf: async (applicationId) =>
          tenant.application?.id === applicationId ? tenant.application.appSessionAccess : facts.appSessionAccessOf(applicationId),
      },
    );
  };
}
