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

type Row = {
  id: number; at: number; type: string; organization_id: number | null; application_id: number | null; subject: string | null; ip: string | null;
  detail: string | null;
};

export function auditEventsRepository(db: Knex) {
  const table = () => db<Row>('audit_events');
  return {
    async insert(e: AuditEvent): Promise<void> {
      await table().insert({
        at: e.at, type: e.type, organization_id: e.organizationId ?? null, application_id: e.applicationId ?? null, subject: e.subject ?? null,
        ip: e.ip ?? null, detail: e.detail ? JSON.stringify(e.detail) : null,
      });
    },
    async list(filter: { type?: string; subject?: string } = {}): Promise<(AuditEvent & { id: number })[]> {
      const rows = await table().where(filter).orderBy('id');
      return rows.map((r) => ({
        id: r.id, at: Number(r.at), type: r.type, organizationId: r.organization_id, applicationId: r.application_id, subject: r.subject, ip: r.ip,
        ...(r.detail && { detail: JSON.parse(r.detail) as Record<string, unknown> }),
      }));
    },
  };
}
export type AuditEventsRepository = ReturnType<typeof auditEventsRepository>;
