import { constantTimeEqual } from '../secrets/constant-time.js';
import { sealedKeyIdLength, type SecretBox } from '../secrets/secret-box.js';
import type { Database } from './knex.js';
import { withStartupLock } from './startup-lock.js';

/**
 * Every column that holds a value sealed under the server key (secrets/secret-box.ts). A new one
 * goes here, or a key rotation leaves it under the old key. (The refresh-retry answers in token
 * metadata are sealed under a key derived from each refresh token, not the server key.)
 */
const sealedColumns = [{ table: 'applications', column: 'auth_secret_sealed' }] as const;

const checksSetting = 'server_key_checks';

/** The start is refused: the database's secrets were sealed under a key the server was not given. */
export class ServerKeyMismatch extends Error {
  constructor(detail: string) {
    super(
      `TESSERA_SECRET_KEY is not the key this database's secrets were sealed under (${detail}). ` +
        'Set TESSERA_SECRET_KEY to that key (a first start without it generated the key into its data folder, as server.key); ' +
        'during a key rotation, give the old key in TESSERA_PREVIOUS_SECRET_KEYS.',
    );
    this.name = 'ServerKeyMismatch';
  }
}

async function storedChecks(db: Database): Promise<string[] | undefined> {
  const row = (await db('settings').where({ name: checksSetting }).first('value')) as { value: string } | undefined;
  if (!row) return undefined;
  // Read from the database, so checked before it is trusted: a damaged row refuses the start.
  const checks: unknown = JSON.parse(row.value);
  if (!Array.isArray(checks) || checks.length === 0 || !checks.every((check) => typeof check === 'string')) throw new Error(`settings.${checksSetting} is not a list of key check values`);
  return checks as string[];
}

async function storeChecks(db: Database, checks: string[], now: number): Promise<void> {
  await db('settings').insert({ name: checksSetting, value: JSON.stringify(checks), modified_at: now }).onConflict('name').merge(['value', 'modified_at']);
}

/** Whether `check` is the check value of a key of the ring, compared in constant time (every comparison runs). */
function inRing(box: SecretBox, check: string): boolean {
  return box.checkValues.map((ours) => constantTimeEqual(ours, check)).includes(true);
}

/**
 * Run at start-up, inside the start-up lock, once the schema is current. The database records the
 * check value of every key that may have sealed one of its secrets; each must be a key of the ring,
 * or the start is refused (a value sealed under a key the server lacks would answer 500 when used).
 * Then the sealing key's check value is recorded, since this server will seal under it: a later
 * start with the old key alone is refused.
 *
 * A database from before check values: one sealed secret must open under the ring (proof enough of
 * the key), then the check values are recorded. `accepted` runs once the key is accepted, before
 * anything is recorded (a key generated on this start is saved then, never one that was refused).
 */
export async function checkServerKey(db: Database, box: SecretBox, now: number, accepted: () => void = () => {}): Promise<void> {
  const stored = await storedChecks(db);
  const checks: string[] = stored ?? [];
  if (stored === undefined) {
    for (const { table, column } of sealedColumns) {
      const sample = (await db(table).first({ sealed: column })) as { sealed: string } | undefined;
      if (!sample) continue;
      const opened = box.tryOpen(sample.sealed);
      if (!opened) throw new ServerKeyMismatch(`a secret in ${table}.${column} does not open with it`);
      checks.push(box.checkValueOf(opened.keyId)!);
    }
  } else if (!stored.every((check) => inRing(box, check))) {
    throw new ServerKeyMismatch('the key check value stored in the database is of another key');
  }
  // The values themselves name their keys: one sealed under a key outside the ring (by an instance
  // that kept the old key past a rotation, which recorded the new key alone) would answer 500 later.
  for (const id of await sealingKeyIds(db)) {
    if (box.checkValueOf(id) === undefined) throw new ServerKeyMismatch(`a secret in the database is sealed under another key (key id ${id})`);
  }
  accepted();
  const next = [...new Set([...checks, box.checkValue])];
  if (stored === undefined || next.length !== stored.length) await storeChecks(db, next, now);
}

/** The distinct key ids named by the sealed values (`v2.<id>.…`; older values name none). */
async function sealingKeyIds(db: Database): Promise<string[]> {
  const ids = new Set<string>();
  for (const { table, column } of sealedColumns) {
    const rows = (await db(table).select(db.raw(`distinct substr(${column}, 4, ${sealedKeyIdLength}) as id`)).where(column, 'like', 'v2.%')) as { id: string }[];
    for (const row of rows) ids.add(row.id);
  }
  return [...ids];
}

export interface Rotation {
  /** Values re-sealed under the sealing key by this run. */
  resealed: number;
}

/**
 * `tessera rotate-key`: re-seals every sealed value not yet under the sealing key, in batches of
 * `batchSize`, each batch one transaction, then records the sealing key's check value alone. Running
 * instances are not disturbed: the values they cached still open, under the previous keys they were
 * given. A value is replaced only if it is still the one read (a concurrent credential rotation
 * wins), and a run that stopped half-way is simply run again: what is done is not redone.
 *
 * Refused when the database's check values name a key outside the ring (as a start is), and when
 * values under another key keep appearing: an instance still seals under the old key.
 */
export async function rotateServerKey(db: Database, databaseUrl: string, box: SecretBox, now: () => number, batchSize = 200): Promise<Rotation> {
  // Recorded first: from here on, a start with the old key alone is refused.
  await withStartupLock(databaseUrl, () => checkServerKey(db, box, now()));
  const prefix = box.sealedPrefix;
  let resealed = 0;
  for (let pass = 0; pass < 3; pass++) {
    for (const { table, column } of sealedColumns) resealed += await resealColumn(db, box, table, column, prefix, batchSize);
    // Under the lock, so that no instance records its key meanwhile.
    const done = await withStartupLock(databaseUrl, async () => {
      if ((await remaining(db, prefix)) > 0) return false;
      await storeChecks(db, [box.checkValue], now());
      return true;
    });
    if (done) return { resealed };
  }
  throw new Error(
    `${await remaining(db, prefix)} secrets are still sealed under another key after three passes: an instance still runs with the old key as TESSERA_SECRET_KEY. ` +
      'Restart every instance with the new key first, then run tessera rotate-key again.',
  );
}

/** Values of the sealed columns not under the sealing key. */
async function remaining(db: Database, prefix: string): Promise<number> {
  let count = 0;
  for (const { table, column } of sealedColumns) {
    const row = (await db(table).whereRaw(`substr(${column}, 1, ?) <> ?`, [prefix.length, prefix]).count({ n: '*' }).first()) as { n: number | string };
    count += Number(row.n);
  }
  return count;
}

async function resealColumn(db: Database, box: SecretBox, table: string, column: string, prefix: string, batchSize: number): Promise<number> {
  let resealed = 0;
  let after = 0;
  for (;;) {
    // `substr`, not `like`: a key id may hold `_`, a LIKE wildcard.
    const rows = (await db(table)
      .select({ id: 'id', sealed: column })
      .where('id', '>', after)
      .whereRaw(`substr(${column}, 1, ?) <> ?`, [prefix.length, prefix])
      .orderBy('id')
      .limit(batchSize)) as { id: number; sealed: string }[];
    if (rows.length === 0) return resealed;
    after = rows.at(-1)!.id;
    // Opened before the transaction: a value no key opens stops the run before anything of the batch is written.
    const updates = rows.map((row) => {
      const opened = box.tryOpen(row.sealed);
      if (!opened) throw new ServerKeyMismatch(`${table}.${column} of row ${row.id} does not open with it, nor with TESSERA_PREVIOUS_SECRET_KEYS`);
      return { ...row, resealed: box.seal(opened.plaintext) };
    });
    await db.transaction(async (trx) => {
      for (const { id, sealed, resealed: value } of updates) resealed += await trx(table).where({ id, [column]: sealed }).update({ [column]: value });
    });
  }
}
