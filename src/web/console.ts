import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const consoleDir = fileURLToPath(new URL('../../console/', import.meta.url));

/**
 * The console's policy: its own scripts and styles only (no inline script or style, nothing from
 * elsewhere), requests to this origin only, never framed, forms posted only here, and no string may
 * become HTML or script (Trusted Types: the console builds the DOM node by node).
 */
export const consoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface ConsoleFile {
  body: Buffer;
  type: string;
}

/**
 * Every file the console serves, read once at boot: the files of console/ (plain ES modules, no
 * build step) and the typed client's runtime, openapi-fetch, from node_modules. A Map keyed by the
 * path under /console/, so a name from the URL finds only these (never `..`, never a prototype key).
 */
export function loadConsoleFiles(): ReadonlyMap<string, ConsoleFile> {
  const files = new Map<string, ConsoleFile>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), `${prefix}${entry.name}/`);
      const type = types[path.extname(entry.name)];
      if (entry.isFile() && type) files.set(`${prefix}${entry.name}`, { body: fs.readFileSync(path.join(dir, entry.name)), type });
    }
  };
  walk(consoleDir, '');
  files.set('openapi-fetch.js', { body: fs.readFileSync(require.resolve('openapi-fetch/dist/index.mjs')), type: types['.js']! });
  return files;
}
