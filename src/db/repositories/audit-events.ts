import type { Knex } from 'knex';
import { jsonFieldTextSql, read } from '../knex.js';

export interface AuditEvent {
  at: number;
  type: string;
  organizationId?: number | null;
  applicationId?: number | null;
  /** Who did it (a kind and the ids and names that identify it, never a credential); none for an anonymous sign-in failure. */
  actor?: Record<string, unknown> | null;
  subject?: string | null;
  ip?: string | null;
  detail?: Record<string, unknown>;
}

/** An event as stored: repeated ones counted in one row, from `at` to `lastAt`. */
export interface StoredAuditEvent extends AuditEvent {
  id: number;
  count: number;
  lastAt: number;
}

/** What a list of one organization's events is narrowed to: kinds, and a time range its occurrences overlap. */
export interface AuditEventFilter {
  types?: readonly string[];
  /** Events whose latest occurrence is at or after this (ms). */
  since?: number;
  /** Events whose first occurrence is at or before this (ms). */
  until?: number;
}

type Row = {
  id: number; at: number; type: string; organization_id: number | null; application_id: number | null; subject: string | null; ip: string | null;
  detail: string | null; count: number; last_at: number | null; bucket: string | null; actor: string | null;
};

const toStored = (r: Row): StoredAuditEvent => ({
  id: Number(r.id), at: Number(r.at), type: r.type, organizationId: r.organization_id, applicationId: r.application_id, subject: r.subject, ip: r.ip,
  count: Number(r.count), lastAt: Number(r.last_at ?? r.at),
  ...(r.actor && { actor: JSON.parse(r.actor) as Record<string, unknown> }),
  ...(r.detail && { detail: JSON.parse(r.detail) as Record<string, unknown> }),
});

/**
 * Which of an organization's two budgets an event counts against (`TESSERA_AUDIT_MAX_EVENTS_PER_ORG`
 * each): what its admins, its clients and its API tokens did (1), or what anyone else did or caused
 * (0): application users, QuickBlox sessions, third-party OAuth clients, guests, and failed sign-ins.
 * Anyone may sign up in a sandbox and revoke their own tokens at will; with one budget, such a flood
 * pushed the admins' own events (a secret rotated after a leak) out of the table.
 */
const managedActors = ['admin', 'superuser', 'organization-client', 'application-client', 'api-token'];

export function auditEventsRepository(db: Knex) {
  const managedSql = () => `(case when ${jsonFieldTextSql(db, 'actor', 'type')} in (${managedActors.map((a) => `'${a}'`).join(', ')}) then 1 else 0 end)`;
  const table = () => db<Row>('audit_events');
  const columns = (e: AuditEvent) => ({
    at: e.at, type: e.type, organization_id: e.organizationId ?? null, application_id: e.applicationId ?? null, subject: e.subject ?? null,
    ip: e.ip ?? null, detail: e.detail ? JSON.stringify(e.detail) : null, actor: e.actor ? JSON.stringify(e.actor) : null,
  });
  return {
    async insert(e: AuditEvent): Promise<void> {
      await table().insert(columns(e));
    },
    /**
     * Records `e` as one more of its `bucket`: the first makes the row, the next ones (in one
     * statement, so parallel requests and instances agree) add to its count and keep the latest
     * time and address.
     */
    async count(bucket: string, e: AuditEvent): Promise<void> {
      await table()
        .insert({ ...columns(e), count: 1, last_at: e.at, bucket })
        .onConflict('bucket')
        .merge({ count: db.raw('?? + 1', ['audit_events.count']) as unknown as number, last_at: e.at, ip: e.ip ?? null });
    },
    /** Deletes up to `limit` events whose latest occurrence is before `cutoff`; returns how many. */
    async purgeBefore(cutoff: number, limit: number): Promise<number> {
      const old = db<Row>('audit_events').select('id').whereRaw('coalesce(last_at, at) < ?', [cutoff]).limit(limit);
      return table().whereIn('id', old).delete();
    },
    /** The organizations that keep more than `max` events, with the id of the newest event each must lose (the oldest kept is the next). */
    async organizationsOver(max: number): Promise<{ organizationId: number; managed: boolean; newestToDelete: number }[]> {
      const managed = managedSql();
      const over = await read<{ organization_id: number | string; managed: number | boolean }>(
        db,
        `select organization_id, ${managed} as managed from audit_events where organization_id is not null group by organization_id, ${managed} having count(*) > ?`,
        [max],
      );
      const found: { organizationId: number; managed: boolean; newestToDelete: number }[] = [];
      for (const group of over) {
        const isManaged = Boolean(Number(group.managed));
        const row = await table().select('id').where('organization_id', Number(group.organization_id)).andWhereRaw(`${managed} = ?`, [isManaged ? 1 : 0]).orderBy('id', 'desc').offset(max).limit(1).first();
        if (row) found.push({ organizationId: Number(group.organization_id), managed: isManaged, newestToDelete: Number(row.id) });
      }
      return found;
    },
    /** Deletes up to `limit` of the organization's events of one budget (`managed`) with ids up to `newestToDelete`; returns how many. */
    async purgeOfOrganizationUpTo(organizationId: number, managed: boolean, newestToDelete: number, limit: number): Promise<number> {
      const old = db<Row>('audit_events').select('id').where('organization_id', organizationId).andWhere('id', '<=', newestToDelete).andWhereRaw(`${managedSql()} = ?`, [managed ? 1 : 0]).limit(limit);
      return table().whereIn('id', old).delete();
    },
    /** One page of an organization's events, newest first (by id): those before `beforeId` (0: from the newest). */
    async listOfOrganization(organizationId: number, filter: AuditEventFilter, beforeId: number, limit: number): Promise<StoredAuditEvent[]> {
      const query = table().where('organization_id', organizationId);
      if (beforeId > 0) void query.andWhere('id', '<', beforeId);
      if (filter.types?.length) void query.whereIn('type', filter.types);
      // An event counted over a window is shown when any of its occurrences falls in the range.
      if (filter.since !== undefined) void query.whereRaw('coalesce(last_at, at) >= ?', [filter.since]);
      if (filter.until !== undefined) void query.andWhere('at', '<=', filter.until);
      const rows = await query.orderBy('id', 'desc').limit(limit);
      return rows.map(toStored);
    },
    async list(filter: { type?: string; subject?: string } = {}): Promise<StoredAuditEvent[]> {
      const rows = await table().where(filter).orderBy('id');
      return rows.map(toStored);
    },
  };
}
export type AuditEventsRepository = ReturnType<typeof auditEventsRepository>;
