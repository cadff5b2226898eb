import type { Knex } from 'knex';
import { read } from '../knex.js';

export type OAuthGrantType = 'authorization_code' | 'refresh_token' | 'password' | 'client_credentials';
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface OAuthClientRecord {
  id: number;
  clientId: string;
  /** SHA-256 of the secret; null for a public client (`token_endpoint_auth_method: none`). */
  clientSecretHash: string | null;
  organizationId: number;
  applicationId: number;
  name: string;
  redirectUris: string[];
  grantTypes: OAuthGrantType[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  firstParty: boolean;
  createdAt: number;
  modifiedAt: number;
}

type Row = {
  id: number; client_id: string; client_secret_hash: string | null; organization_id: number; application_id: number; name: string;
  redirect_uris: string; grant_types: string; token_endpoint_auth_method: string; first_party: boolean | number; created_at: number; modified_at: number;
};

const toRecord = (r: Row): OAuthClientRecord => ({
  id: r.id, clientId: r.client_id, clientSecretHash: r.client_secret_hash, organizationId: r.organization_id, applicationId: r.application_id,
  name: r.name, redirectUris: JSON.parse(r.redirect_uris) as string[], grantTypes: JSON.parse(r.grant_types) as OAuthGrantType[],
  tokenEndpointAuthMethod: r.token_endpoint_auth_method as TokenEndpointAuthMethod, firstParty: Boolean(r.first_party),
  createdAt: Number(r.created_at), modifiedAt: Number(r.modified_at),
});

/** `changed`: told after every write to the table, for the caches of its rows (`TenantCache.oauthClient`). */
export function oauthClientsRepository(db: Knex, changed: () => void = () => {}) {
  const table = () => db<Row>('oauth_clients');
  return {
    async insert(c: Omit<OAuthClientRecord, 'id'>): Promise<OAuthClientRecord> {
      const [row] = await table()
        .insert({
          client_id: c.clientId, client_secret_hash: c.clientSecretHash, organization_id: c.organizationId, application_id: c.applicationId,
          name: c.name, redirect_uris: JSON.stringify(c.redirectUris), grant_types: JSON.stringify(c.grantTypes),
          token_endpoint_auth_method: c.tokenEndpointAuthMethod, first_party: c.firstParty, created_at: c.createdAt, modified_at: c.modifiedAt,
        })
        .returning('*');
      changed();
      return toRecord(row as Row);
    },
    async findByClientId(clientId: string): Promise<OAuthClientRecord | undefined> {
      const [row] = await read<Row>(db, 'select * from oauth_clients where client_id = ? limit 1', [clientId]);
      return row && toRecord(row);
    },
    /** Whether the client exists now, read from the database (never a cache). */
    async isRegistered(clientId: string): Promise<boolean> {
      return (await read(db, 'select 1 as registered from oauth_clients where client_id = ? limit 1', [clientId])).length > 0;
    },
    async listByApplication(applicationId: number): Promise<OAuthClientRecord[]> {
      return (await table().where({ application_id: applicationId }).orderBy('id')).map(toRecord);
    },
    /** Removes a client of one application; false when it has no such client. */
    async delete(applicationId: number, clientId: string): Promise<boolean> {
      const deleted = (await table().where({ application_id: applicationId, client_id: clientId }).delete()) > 0;
      changed();
      return deleted;
    },
  };
}
export type OAuthClientsRepository = ReturnType<typeof oauthClientsRepository>;
