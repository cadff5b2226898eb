import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Document } from 'openapi-backend';
import YAML from 'yaml';

/** The hand-written spec: the single source of truth for routes, validation and types. */
export const specPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'openapi.yaml');

export function loadSpec(): { document: Document; yaml: string; json: string } {
  const yaml = fs.readFileSync(specPath, 'utf8');
  const document = YAML.parse(yaml) as Document;
  return { document, yaml, json: JSON.stringify(document) };
}
