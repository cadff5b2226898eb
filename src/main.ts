import { loadConfig } from './config.js';
import { seedDemo, type DemoSummary } from './seed/demo.js';
import { startServer, type RunningServer } from './server.js';

function howToCall(url: string, demo: DemoSummary): string {
  return [
    '',
    `Tessera is listening on ${url}  (API reference: ${url}/docs)`,
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

async function main(): Promise<void> {
  const demoFlag = process.argv.includes('--demo');
  const config = loadConfig(process.env, demoFlag ? { demo: true } : {});

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

  server = await startServer(config);
  if (stopping) return void (await server.close().then(() => process.exit(0)));
  if (server.generatedSuperuserPassword) {
    // Printed once, on the start that created the superuser; it is not stored anywhere readable.
    process.stdout.write(
      `\nCreated the superuser "${config.superuserUsername}" with the generated password: ${server.generatedSuperuserPassword}\n` +
        'It is shown only this once. Set TESSERA_SUPERUSER_PASSWORD to choose your own.\n',
    );
  }
  if (config.demo) process.stdout.write(howToCall(server.url, await seedDemo(server.deps)));
  server.deps.logger.info({ url: server.url }, 'listening');
}

main().catch((error: unknown) => {
  process.stderr.write(`Tessera could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
