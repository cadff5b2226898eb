import type { Operation } from 'openapi-backend';
import { addFormats, Ajv } from './ajv-interop.js';

const ajv = new Ajv({ coerceTypes: true, strict: false, allErrors: true });
addFormats(ajv);
const compiled = new WeakMap<object, ReturnType<Ajv['compile']>>();

/**
 * A form-encoded body arrives as strings (`application_id=42`, `ttl=2000`); it is coerced to the
 * types its `application/x-www-form-urlencoded` schema declares before request validation runs,
 * so one schema serves JSON and form clients alike. Values that cannot be coerced are left as
 * they are, and request validation then refuses them.
 */
export function coerceFormBody(operation: Operation, body: unknown): unknown {
  const schema = (operation.requestBody as { content?: Record<string, { schema?: object }> } | undefined)?.content?.[
    'application/x-www-form-urlencoded'
  ]?.schema;
  if (!schema || typeof body !== 'object' || body === null) return body;
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  const copy = structuredClone(body);
  validate(copy);
  return copy;
}
