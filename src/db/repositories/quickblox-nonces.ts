import type { Knex } from 'knex';
import { isUniqueViolation } from '../duplicates.js';
import { write } from '../knex.js';

type Row = { id: number; application_id: number; timestamp: number; nonce: string };

/** The signed session requests already seen, so none is accepted twice (see migration 003). */
export function quickbloxNoncesRepository(db: Knex) {
  const table = () => db<Row>('quickblox_nonces');
  return {
    /** Records a request's timestamp and nonce; false when they were seen before (a replay). */
    async record(applicationId: number, timestamp: number, nonce: string): Promise<boolean> {
      try {
        await write(db, 'insert into quickblox_nonces (application_id, timestamp, nonce) values (?, ?, ?)', [applicationId, timestamp, nonce]);
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    /** Forgets at most `limit` requests whose timestamp is before `timestamp` (Unix seconds); the timestamp check refuses them anyway. */
    async purgeBefore(timestamp: number, limit: number): Promise<number> {
      return table().whereIn('id', db<Row>('quickblox_nonces').select('id').where('timestamp', '<', timestamp).limit(limit)).delete();
    },
  };
}
export type QuickBloxNoncesRepository = ReturnType<typeof quickbloxNoncesRepository>;
