import type { Knex } from 'knex';

export interface AuditEvent {
  at: number;
  type: string;
  organizationId?: number | null;
  applicationId?: number | null;
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

type Row = {
  id: number; at: number; type: string; organization_id: number | null; application_id: number | null; subject: string | null; ip: string | null;
  detail: string | null; count: number; last_at: number | null; bucket: string | null;
};

export function auditEventsRepository(db: Knex) {
  const table = () => db<Row>('audit_events');
  const columns = (e: AuditEvent) => ({
    at: e.at, type: e.type, organization_id: e.organizationId ?? null, application_id: e.applicationId ?? null, subject: e.subject ?? null,
    ip: e.ip ?? null, detail: e.detail ? JSON.stringify(e.detail) : null,
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
    async list(filter: { type?: string; subject?: string } = {}): Promise<StoredAuditEvent[]> {
      const rows = await table().where(filter).orderBy('id');
      return rows.map((r) => ({
        id: r.id, at: Number(r.at), type: r.type, organizationId: r.organization_id, applicationId: r.application_id, subject: r.subject, ip: r.ip,
        count: Number(r.count), lastAt: Number(r.last_at ?? r.at),
        ...(r.detail && { detail: JSON.parse(r.detail) as Record<string, unknown> }),
      }));
    },
  };
}
export type AuditEventsRepository = ReturnType<typeof auditEventsRepository>;
