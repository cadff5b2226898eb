import { runServer } from './cli/run-server.js';
import { loadConfig } from './config.js';

/**
 * `npm start`: the demo (`--demo`, in the script), with the process as the server itself (no tsx
 * child process between a signal and the server). `TESSERA_DEMO` set in the environment wins over
 * the flag: the flag is baked into the script, the environment is what the person starting it
 * chose, so `TESSERA_DEMO=false npm start` seeds nothing. For production, `tessera serve`.
 */
async function main(): Promise<void> {
  const demoFlag = process.argv.includes('--demo') && !process.env.TESSERA_DEMO;
  await runServer(loadConfig(process.env, demoFlag ? { demo: true } : {}));
}

main().catch((error: unknown) => {
  process.stderr.write(`Tessera could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
