import { loadConfig } from '../config.js';
import { decodePreviousKeys, readServerKey, SecretBox } from '../secrets/secret-box.js';
import { exitCodes, UsageError, type Command } from './command.js';
import { withDatabase } from './migrate.js';

export const rotateKey: Command = {
  name: ['rotate-key'],
  summary: 'Re-seal every stored secret under TESSERA_SECRET_KEY',
  details: `TESSERA_SECRET_KEY is the new key; TESSERA_PREVIOUS_SECRET_KEYS (comma-separated) holds the old one,
so that what it sealed still opens. Re-seals in batches, one transaction each, then records the new key
as the only one of the database. Safe to run again; running instances with the old key among their
previous keys keep working. The procedure: README, "Rotating the server key".`,
  options: { 'batch-size': { type: 'string', value: '<n>', description: 'Secrets re-sealed per transaction (default 200)' } },
  async run(options, env) {
    const batchSize = options['batch-size'] === undefined ? 200 : Number(options['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch-size must be an integer from 1 to 10000');
    const config = loadConfig(env);
    // Never the data folder's generated key: a rotation is to a key the operator chose and keeps.
    if (!config.secretKey) throw new Error('set TESSERA_SECRET_KEY to the new key, and TESSERA_PREVIOUS_SECRET_KEYS to the old one');
    const box = new SecretBox(readServerKey(config.secretKey, config.dataDir)!, decodePreviousKeys(config.previousSecretKeys));
    // Loaded with the database, not with the command table (see withDatabase).
    const [{ pendingMigrations }, { rotateServerKey }] = await Promise.all([import('../db/knex.js'), import('../db/server-key.js')]);
    return withDatabase(env, async (db, url) => {
      if ((await pendingMigrations(db)).length) throw new Error('the schema is not current: run tessera migrate up first');
      const { resealed } = await rotateServerKey(db, url, box, Date.now, batchSize);
      process.stdout.write(`re-sealed ${resealed} secrets under the key with id ${box.keyId}; the database now records that key alone.\n`);
      process.stdout.write('Once every instance runs with it as TESSERA_SECRET_KEY, the old key can leave TESSERA_PREVIOUS_SECRET_KEYS.\n');
      return exitCodes.ok;
    });
  },
};
