import type { Context as OabContext } from 'openapi-backend';
import { ValidationFailed } from '../../errors.js';

/** At most this many problems are described: an answer stays small whatever the request got wrong. */
const describedProblems = 20;

/** Ajv's errors → `{ field: [messages] }`, with `body/` and `query/` prefixes dropped for readability. */
function validationFields(errors: NonNullable<OabContext['validation']['errors']>): Record<string, string[]> {
  // No prototype: a field name comes from the request (`constructor`, `__proto__` are just names here).
  const fields: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  // The first few problems say what is wrong; the answer stays small however many there are.
  const told = errors.slice(0, describedProblems);
  for (const e of told) {
    const missing = (e.params as { missingProperty?: string }).missingProperty;
    const extra = (e.params as { additionalProperty?: string }).additionalProperty;
    const where = (e.instancePath || '').replace(/^\/(requestBody|query|params|path|headers)\/?/, '').replace(/\//g, '.');
    const field = missing ?? (where || 'base');
    const message = extra ? `has an unknown property "${extra}"` : missing ? 'is required' : (e.message ?? 'is not valid');
    (fields[field] ??= []).push(message);
  }
  if (errors.length > told.length) (fields.base ??= []).push(`and ${errors.length - told.length} more problems`);
  return fields;
}

function describe(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .map(([field, messages]) => (field === 'base' ? messages.join('; ') : `${field} ${messages.join(', ')}`))
    .join('; ');
}

/** Request validation found the request breaks the spec: 400 naming each field's problems. */
export function refuseInvalidRequest(c: OabContext): never {
  const fields = validationFields(c.validation.errors ?? []);
  throw new ValidationFailed(describe(fields), fields);
}
