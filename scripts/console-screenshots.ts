/**
 * The README's two console screenshots (docs/console-desktop.png, docs/console-phone.png), taken
 * from a real demo server in Debian's Chromium: `npx tsx scripts/console-screenshots.ts`.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-screens-'));
const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--demo'], {
  cwd: root,
  env: { ...process.env, PORT: '0', TESSERA_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1]!);
    });
    server.once('exit', (code) => reject(new Error(`the server exited ${code}: ${output}`)));
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const shoot = async (viewport: { width: number; height: number }, file: string, hash: string, heading: string) => {
    const page = await browser.newPage({ viewport });
    await page.goto(`${url}/console/`);
    await page.getByLabel('Username or email').fill('demo-admin');
    await page.getByLabel('Password', { exact: true }).fill('demo-admin-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Organizations' }).waitFor();
    await page.evaluate((to) => (location.hash = to), hash);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await page.screenshot({ path: path.join(root, 'docs', file) });
    await page.close();
  };
  fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
  await shoot({ width: 1200, height: 820 }, 'console-desktop.png', '#/o/demo/a/storefront/roles', 'Roles');
  await shoot({ width: 390, height: 844 }, 'console-phone.png', '#/o/demo/a/storefront/users', 'Users of storefront');
  await browser.close();
} finally {
  server.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
}
