import type { Deps, Transaction } from '../deps.js';
import { actorOf, recordAuditEvent, type AuditedAction } from '../domain/audit-events.js';
import { organizationOf, principalOf } from './context.js';
import type { TesseraContext } from './types.js';

type Recorded = Omit<AuditedAction, 'actor' | 'ip' | 'organizationId'> & { organizationId?: number };

/**
 * Records a management action the request made: by its principal, from its source address, in the
 * organization (and application) of its path unless told otherwise. Pass the transaction's
 * transaction when the change ran in one; otherwise call it right after the change succeeded.
 */
export async function recordAction(deps: Deps, ctx: TesseraContext, action: Recorded, transaction?: Transaction): Promise<void> {
  // Inside a transaction every read goes through it too: SQLite's one connection is the transaction's.
  const repositories = transaction ?? deps.repositories;
  await recordAuditEvent(repositories.auditEvents, deps.clock.now(), {
    ...action,
    organizationId: action.organizationId ?? organizationOf(ctx).id,
    applicationId: action.applicationId !== undefined ? action.applicationId : (ctx.state.application?.id ?? null),
    actor: await actorOf(repositories, principalOf(ctx)),
    ip: ctx.ip,
  });
}

/**
 * Records an action on an admin account (its tokens, its password) in every organization the admin
 * administers: the account belongs to none of them alone, and each one's admins answer for who
 * can act in it. The superuser administers no organization: its account's events are not listed.
 */
export async function recordAdminAccountAction(deps: Deps, ctx: TesseraContext, admin: { id: number; uuid: string }, action: Omit<Recorded, 'organizationId' | 'applicationId' | 'subject'>): Promise<void> {
  for (const organization of await deps.repositories.organizations.listForAdmin(admin.id)) {
    await recordAction(deps, ctx, { ...action, organizationId: organization.id, applicationId: null, subject: admin.uuid });
  }
}
