import { loadConfig } from '../config.js';
import type { Command } from './command.js';

export const serve: Command = {
  name: ['serve'],
  summary: 'Run the server, without demo data',
  details: `Configured by the environment (README, "Configuration"). Migrates the database, checks that
TESSERA_SECRET_KEY is the key its secrets were sealed under, and serves until SIGTERM or SIGINT,
which it answers by finishing the requests under way and exiting 0.
Never seeds the demo's well-known secrets: TESSERA_DEMO=true is refused, not ignored.`,
  async run(_options, env) {
    const config = loadConfig(env);
    // Refused rather than ignored: someone who set it expects the demo, and must learn at once that
    // `serve` never makes one (its credentials are public, in the README).
    if (config.demo) throw new Error('TESSERA_DEMO=true: tessera serve never seeds the demo (its secrets are public); unset TESSERA_DEMO, or run npm start for the demo');
    // Loaded here, not with the command table: the server is a second of imports every other command would pay.
    const { runServer } = await import('./run-server.js');
    await runServer(config);
    // Never settles: the server runs on, and its signal handler ends the process (exit 0 once closed).
    return new Promise<number>(() => {});
  },
};
