import type { components } from '../../generated/openapi.js';
import type { Principal } from '../auth/principal.js';
import type { AuditEventFilter, AuditEventsRepository, StoredAuditEvent } from '../db/repositories/audit-events.js';
import type { OrganizationRecord } from '../db/repositories/organizations.js';
import type { Deps, Repositories } from '../deps.js';
import { page } from './paging.js';
import type { OAuthClientRecord } from '../db/repositories/oauth-clients.js';

type AuditEventView = components['schemas']['AuditEvent'];
type Actor = components['schemas']['AuditActor'];

/**
 * Every kind of audit event: the spec's `AuditEvent.kind` enum, which the generated type holds this
 * list to (a kind missing there does not compile; one missing here is never written). Sign-in
 * failures and throttling are counted, one row per kind, account and 15 minutes (`auth/attempts.ts`),
 * so a flood of them cannot grow the table; every other event is one management action, one row.
 */
export const auditEventKinds = [
  'auth.failed',
  'auth.throttled',
  'token.revoked',
  'user-tokens.revoked',
  'token-family.revoked',
  'credentials.rotated',
  'permission.granted',
  'permission.revoked',
  'role.created',
  'role.deleted',
  'role-link.added',
  'role-link.removed',
  'group-user.added',
  'group-user.removed',
  'api-token.created',
  'api-token.revoked',
  'oauth-client.registered',
  'oauth-client.deleted',
  'organization-admin.added',
  'organization-admin.removed',
  'user.activated',
  'user.deactivated',
  'user.password-changed',
  'admin-user.password-changed',
] as const;
export type AuditEventKind = (typeof auditEventKinds)[number];
// Both ways: every kind here is in the spec's enum, and every kind of the enum is here (else this does not compile).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const kindsAreTheSpecs: Same<AuditEventKind, AuditEventView['kind']> = true;

/** One management action to record: what happened, where, by whom, about what. */
export interface AuditedAction {
  kind: AuditEventKind;
  organizationId: number;
  applicationId?: number | null;
  actor: Actor | null;
  /** What it concerns: a user's uuid, a token's id, a client id; never a secret. */
  subject?: string | null;
  /** The request's source address (the client a trusted proxy names). */
  ip?: string | null;
  /** A few names and flags; never a secret, a token value or a password. */
  details?: Record<string, unknown>;
}

/**
 * Writes one event. The caller passes the transaction's repository when the change has one, so the
 * event lands with the change or not at all; otherwise it is written right after the change.
 */
export async function recordAuditEvent(repository: AuditEventsRepository, at: number, action: AuditedAction): Promise<void> {
  await repository.insert({
    at,
    type: action.kind,
    organizationId: action.organizationId,
    applicationId: action.applicationId ?? null,
    actor: action.actor,
    subject: action.subject ?? null,
    ip: action.ip ?? null,
    ...(action.details && { detail: action.details }),
  });
}

/**
 * Who a principal is, for the record: the admin user's uuid and username, the client id, the API
 * token's id; never what it authenticated with. Read once per management action (not on the
 * hot path of token use).
 */
export async function actorOf(repositories: Pick<Repositories, 'adminUsers' | 'appUsers' | 'organizations' | 'applications'>, principal: Principal): Promise<Actor> {
  const tokenId = principal.credential.token?.id;
  switch (principal.kind) {
    case 'superuser':
    case 'orgAdmin': {
      const admin = principal.userId === undefined ? undefined : await repositories.adminUsers.findById(principal.userId);
      return { type: principal.kind === 'superuser' ? 'superuser' : 'admin', ...(admin && { uuid: admin.uuid, username: admin.username }) };
    }
    case 'appUser': {
      const user = principal.userId === undefined ? undefined : await repositories.appUsers.findById(principal.userId);
      const clientId = principal.credential.token?.clientId;
      return { type: 'user', ...(user && { uuid: user.uuid, username: user.username }), ...(clientId && { client_id: clientId }) };
    }
    case 'orgClient': {
      const organization = principal.organizationId === undefined ? undefined : await repositories.organizations.findById(principal.organizationId);
      return { type: 'organization-client', ...(organization && { client_id: organization.clientId }) };
    }
    case 'appClient': {
      const application = principal.applicationId === undefined ? undefined : await repositories.applications.findById(principal.applicationId);
      return { type: 'application-client', ...(application && { client_id: application.clientId }) };
    }
    case 'apiToken':
      return { type: 'api-token', ...(tokenId !== undefined && { token_id: tokenId }) };
    case 'oauthClient':
      return { type: 'oauth-client', ...(principal.credential.token?.clientId && { client_id: principal.credential.token.clientId }) };
    case 'appSession':
      return { type: 'quickblox-session', ...(tokenId !== undefined && { token_id: tokenId }) };
    case 'guest':
      return { type: 'anonymous' };
    default:
      // A kind this list does not know is recorded as what it is not: nobody in particular.
      return { type: 'anonymous' };
  }
}

/**
 * Records what an OAuth client did, or what its request caused (a replayed code or refresh token
 * revoking a grant's tokens), in its application: the client authenticated at the token endpoint,
 * not through the pipeline's principal.
 */
export async function recordOAuthClientAction(
  deps: Pick<Deps, 'repositories' | 'clock'>,
  client: Pick<OAuthClientRecord, 'clientId' | 'organizationId' | 'applicationId'>,
  ip: string,
  action: Pick<AuditedAction, 'kind' | 'subject' | 'details'>,
): Promise<void> {
  await recordAuditEvent(deps.repositories.auditEvents, deps.clock.now(), {
    ...action,
    organizationId: client.organizationId,
    applicationId: client.applicationId,
    actor: { type: 'oauth-client', client_id: client.clientId },
    ip,
  });
}

/** An event as the API shows it: the tenant by name, the actor and details as recorded. */
function auditEventView(event: StoredAuditEvent, organization: OrganizationRecord, applicationNames: Map<number, string>): AuditEventView {
  const application = event.applicationId == null ? null : (applicationNames.get(event.applicationId) ?? null);
  return {
    id: event.id,
    kind: event.type as AuditEventKind,
    time: event.at,
    last_time: event.lastAt,
    count: event.count,
    organization: organization.name,
    application,
    actor: (event.actor as Actor | undefined) ?? null,
    subject: event.subject ?? null,
    source_address: event.ip ?? null,
    details: event.detail ?? {},
  };
}

/** One page of the organization's events, newest first, with the cursor of the next. */
export async function listAuditEvents(
  deps: Pick<Deps, 'repositories'>,
  organization: OrganizationRecord,
  filter: AuditEventFilter,
  cursor: string | undefined,
  limit: number | undefined,
): Promise<{ items: AuditEventView[]; cursor?: string }> {
  // The cursor is the id of the last event shown; the next page is the older ones (0: the newest).
  const result = await page((beforeId, size) => deps.repositories.auditEvents.listOfOrganization(organization.id, filter, beforeId, size), cursor, limit);
  const applications = await deps.repositories.applications.listByOrganization(organization.id);
  const names = new Map(applications.map((a) => [a.id, a.name]));
  return { items: result.items.map((event) => auditEventView(event, organization, names)), ...(result.cursor && { cursor: result.cursor }) };
}
