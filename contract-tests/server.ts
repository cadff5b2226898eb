/**
 * The server under contract test: the real `startServer` with test settings, seeded with the demo
 * organization. Started by `run.ts`, which hands it a fresh database in `DATABASE_URL`, a temporary
 * folder in `TESSERA_DATA_DIR` and a port in `PORT` (0 = any free port), and learns over IPC where
 * it listens and what was seeded.
 *
 * To debug one transaction, run it alone; it prints the seed as one JSON line, which the hooks read
 * from TESSERA_CONTRACT_SEED:
 *   DATABASE_URL=sqlite:/tmp/c/db.sqlite TESSERA_DATA_DIR=/tmp/c PORT=8090 node --import tsx contract-tests/server.ts > /tmp/c/seed.json
 *   TESSERA_CONTRACT_SEED="$(cat /tmp/c/seed.json)" npx dredd openapi.yaml http://127.0.0.1:8090 \
 *     --hookfiles 'contract-tests/hooks/*.cts' --require tsx/cjs --only '<transaction name>'
 */
import { loadConfig } from '../src/config.js';
import { seedDemo, type DemoSummary } from '../src/seed/demo.js';
import { startServer } from '../src/server.js';

/** What the Dredd hooks need to know about the running server (sent to `run.ts`). */
export interface ContractSeed {
  url: string;
  superuser: { username: string; password: string };
  demo: DemoSummary;
}

const superuser = { username: 'superuser', password: 'contract-superuser-password' };

async function main(): Promise<void> {
  // Never fall back to the default ./data database: contract tests write all over it.
  if (!process.env.DATABASE_URL || !process.env.TESSERA_DATA_DIR) {
    throw new Error('DATABASE_URL and TESSERA_DATA_DIR must name a throw-away database and folder; run `npm run test:contract`');
  }
  const config = loadConfig(process.env, {
    host: '127.0.0.1',
    superuserUsername: superuser.username,
    superuserPassword: superuser.password,
    // A response that breaks the spec becomes a 502, so Dredd fails on it (Dredd itself only checks keys).
    validateResponses: true,
    // The 403 of POST /management/orgs relies on sign-up being off, whatever the environment says.
    organizationSignup: false,
    demo: false,
    scryptCost: 1024,
    logLevel: 'warn',
  });
  const server = await startServer(config);
  const seed: ContractSeed = { url: server.url, superuser, demo: await seedDemo(server.deps) };

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`contract server: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  if (process.send) {
    process.send({ ready: seed });
    // If run.ts dies without stopping us, do not linger holding the port and the database.
    process.once('disconnect', stop);
  } else {
    process.stdout.write(`${JSON.stringify(seed)}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`contract server: could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
