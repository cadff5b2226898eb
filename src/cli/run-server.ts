import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { DemoSummary } from '../seed/demo.js';
import { startServer, type RunningServer } from '../server.js';

function howToCall(url: string, demo: DemoSummary): string {
  return [
    '',
    `Tessera is listening on ${url}`,
    `  admin console: ${url}/console/  (sign in as ${demo.admin.username}, below)`,
    `  API reference: ${url}/docs`,
    '',
    `Demo organization "${demo.organization.name}", applications "${demo.application.name}" and "${demo.sandbox.name}" (the sandbox).`,
    `  admin:        ${demo.admin.username} / ${demo.admin.password}`,
    `  app user:     ${demo.user.username} / ${demo.user.password} (in ${demo.application.name})`,
    `  org client:   client_id=${demo.organization.clientId} client_secret=${demo.organization.clientSecret}`,
    `  app client:   client_id=${demo.application.clientId} client_secret=${demo.application.clientSecret}`,
    `  QuickBlox:    application_id=${demo.application.applicationId} auth_key=${demo.application.authKey} auth_secret=${demo.application.authSecret}`,
    `  OAuth client: client_id=${demo.oauthClient.clientId} client_secret=${demo.oauthClient.clientSecret} redirect_uri=${demo.oauthClient.redirectUri}`,
    '',
    'Try:',
    `  curl -s ${url}/management/token -H 'Content-Type: application/json' \\`,
    `    -d '{"grant_type":"password","username":"${demo.admin.username}","password":"${demo.admin.password}"}'`,
    `  curl -s '${url}/${demo.organization.name}/${demo.application.name}/users?client_id=${demo.application.clientId}&client_secret=${demo.application.clientSecret}'`,
    '',
  ].join('\n');
}

/**
 * The generated superuser password goes to a file only its owner can read, never to stdout:
 * stdout is the JSON log, which collectors keep and ship (and `docker run -t` captures a terminal
 * too). Any file left from an earlier database is replaced; `wx` creates it afresh with mode 0600
 * and does not follow a link planted in its place.
 */
function saveGeneratedPassword(dataDir: string, password: string): string {
  const file = path.resolve(dataDir, 'superuser-password');
  try {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.rmSync(file, { force: true });
    fs.writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    throw new Error(`could not write the generated superuser password to ${file} (${error instanceof Error ? error.message : String(error)}); set TESSERA_SUPERUSER_PASSWORD and start again`);
  }
  return file;
}

/**
 * Runs the server in this process until SIGTERM or SIGINT, then closes it gracefully (requests under
 * way finish, pending token state and the log are written) and exits 0. Both `tessera serve` and
 * `npm start` (src/main.ts) end here: whatever receives the signal is this process, not a parent.
 */
export async function runServer(config: Config): Promise<void> {
  // Listen for signals before anything starts, so a SIGTERM during start-up also ends cleanly
  // (without a listener Node would die of the signal at once, mid-write).
  let server: RunningServer | undefined;
  let stopping: string | undefined;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = signal;
    server?.deps.logger.info({ signal }, 'shutting down');
    (server?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // A closed terminal or a dropped SSH session (SIGHUP) stops the server as cleanly as a stop: Node's
  // default would end it at once, its pending log lines and last-use times lost.
  process.once('SIGHUP', () => shutdown('SIGHUP'));

  server = await startServer(config);
  if (stopping) return void (await server.close().then(() => process.exit(0)));
  if (server.generatedSuperuserPassword) {
    const file = saveGeneratedPassword(config.dataDir, server.generatedSuperuserPassword);
    server.deps.logger.warn({ username: config.superuserUsername, file }, 'created the superuser with a generated password; read it from this file, then delete the file');
  }
  if (server.demo) process.stdout.write(howToCall(server.url, server.demo));
  // The sealing key's id (never the key): which key an instance runs with, during a key rotation.
  server.deps.logger.info({ url: server.url, serverKeyId: server.deps.secretBox.keyId, ...(server.metricsUrl && { metrics: server.metricsUrl }) }, 'listening');
  // Out now rather than with the next chunk of the access log: scripts wait for this line.
  server.deps.logger.flush();
}
