import type { Knex } from 'knex';
import { refusingDuplicates } from '../duplicates.js';
import { read } from '../knex.js';

/** `guest`: as the application's guest role allows; `read-all`: QuickBlox's behaviour (reads everything, signs users up). */
export type AppSessionAccess = 'guest' | 'read-all';
const appSessionAccesses: readonly string[] = ['guest', 'read-all'] satisfies AppSessionAccess[];

export interface ApplicationRecord {
  /** Also the QuickBlox `application_id`. */
  id: number;
  uuid: string;
  organizationId: number;
  name: string;
  clientId: string;
  clientSecretHash: string;
  authKey: string;
  authSecretSealed: string;
  /** Maximum lifetime of user tokens in ms; 0 = never expire; null = the server default. */
  accessTokenTtlMs: number | null;
  /** Idle lifetime of QuickBlox sessions, seconds. */
  sessionTtlS: number;
  /** Absolute lifetime of QuickBlox sessions, seconds: no use extends a session past it. */
  sessionLifetimeS: number;
  /** What a QuickBlox application session may do (see `domain/applications.ts`). */
  appSessionAccess: AppSessionAccess;
  createdAt: number;
  modifiedAt: number;
}

type Row = {
  id: number; uuid: string; organization_id: number; name: string; client_id: string; client_secret_hash: string; auth_key: string;
  auth_secret_sealed: string; access_token_ttl_ms: number | null; session_ttl_s: number; session_lifetime_s: number; app_session_access: string;
  created_at: number; modified_at: number;
};

/** A value read from the database is checked before it is trusted: an unknown one holds sessions to the guest role. */
const accessOf = (value: string): AppSessionAccess => (appSessionAccesses.includes(value) ? (value as AppSessionAccess) : 'guest');

const toRecord = (r: Row): ApplicationRecord => ({
  id: r.id, uuid: r.uuid, organizationId: r.organization_id, name: r.name, clientId: r.client_id, clientSecretHash: r.client_secret_hash,
  authKey: r.auth_key, authSecretSealed: r.auth_secret_sealed,
  accessTokenTtlMs: r.access_token_ttl_ms === null ? null : Number(r.access_token_ttl_ms), sessionTtlS: r.session_ttl_s,
  sessionLifetimeS: r.session_lifetime_s, appSessionAccess: accessOf(r.app_session_access),
  createdAt: Number(r.created_at), modifiedAt: Number(r.modified_at),
});

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `changed`: told after every write to the table, for the caches of its rows. */
export function applicationsRepository(db: Knex, changed: () => void = () => {}) {
  const table = () => db<Row>('applications');
  return {
    /** A name taken in the organization is a `DuplicateRecord`. */
    async insert(a: Omit<ApplicationRecord, 'id'>): Promise<ApplicationRecord> {
      const [row] = await refusingDuplicates('application', () =>
        table()
          .insert({
            uuid: a.uuid, organization_id: a.organizationId, name: a.name, client_id: a.clientId, client_secret_hash: a.clientSecretHash,
            auth_key: a.authKey, auth_secret_sealed: a.authSecretSealed, access_token_ttl_ms: a.accessTokenTtlMs, session_ttl_s: a.sessionTtlS,
            session_lifetime_s: a.sessionLifetimeS, app_session_access: a.appSessionAccess,
            created_at: a.createdAt, modified_at: a.modifiedAt,
          })
          .returning('*'),
      );
      return toRecord(row as Row);
    },
    /** An application of one organization, by name or uuid. */
    async findInOrganization(organizationId: number, ref: string): Promise<ApplicationRecord | undefined> {
      const row = await table()
        .where({ organization_id: organizationId })
        .andWhere(uuidPattern.test(ref) ? { uuid: ref.toLowerCase() } : { name: ref })
        .first();
      return row && toRecord(row);
    },
    async findById(id: number): Promise<ApplicationRecord | undefined> {
      const [row] = await read<Row>(db, 'select * from applications where id = ? limit 1', [id]);
      return row && toRecord(row);
    },
    async findByClientId(clientId: string): Promise<ApplicationRecord | undefined> {
      const [row] = await read<Row>(db, 'select * from applications where client_id = ? limit 1', [clientId]);
      return row && toRecord(row);
    },
    async listByOrganization(organizationId: number): Promise<ApplicationRecord[]> {
      return (await table().where({ organization_id: organizationId }).orderBy('id')).map(toRecord);
    },
    async updateSettings(
      id: number,
      settings: { accessTokenTtlMs?: number | null; sessionTtlS?: number; sessionLifetimeS?: number; appSessionAccess?: AppSessionAccess },
      now: number,
    ): Promise<void> {
      const patch: Partial<Row> = { modified_at: now };
      if (settings.accessTokenTtlMs !== undefined) patch.access_token_ttl_ms = settings.accessTokenTtlMs;
      if (settings.sessionTtlS !== undefined) patch.session_ttl_s = settings.sessionTtlS;
      if (settings.sessionLifetimeS !== undefined) patch.session_lifetime_s = settings.sessionLifetimeS;
      if (settings.appSessionAccess !== undefined) patch.app_session_access = settings.appSessionAccess;
      await table().where({ id }).update(patch);
      changed();
    },
    async setSecrets(id: number, secrets: { clientSecretHash: string; authSecretSealed: string }, now: number): Promise<void> {
      await table().where({ id }).update({ client_secret_hash: secrets.clientSecretHash, auth_secret_sealed: secrets.authSecretSealed, modified_at: now });
      changed();
    },
  };
}
export type ApplicationsRepository = ReturnType<typeof applicationsRepository>;
