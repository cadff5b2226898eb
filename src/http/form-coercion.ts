import type { Operation } from 'openapi-backend';
import { addFormats, Ajv } from './ajv-interop.js';
import { familyOf } from './families.js';

const ajv = new Ajv({ coerceTypes: true, strict: false, allErrors: true });
addFormats(ajv);
const compiled = new WeakMap<object, ReturnType<Ajv['compile']>>();

const form = 'application/x-www-form-urlencoded';
const json = 'application/json';

/**
 * The media type whose schema a body's strings are coerced to, or undefined when it is taken as
 * sent. A form body always arrives as strings (`application_id=42`, `ttl=2000`). A JSON body to a
 * QuickBlox route may too: QuickBlox's own curl examples send every value as a string
 * (`{"application_id":"2","timestamp":"1333630580",…}`), and its server takes them (reference §2).
 * Other families' JSON keeps its types: a Usergrid or OAuth client that sends a string for a number
 * is told so.
 */
export function coercedMediaType(operation: Operation, is: (type: string) => boolean): string | undefined {
  if (is(form)) return form;
  if (is(json) && familyOf(operation) === 'quickblox') return json;
  return undefined;
}

/**
 * Coerces a body to the types its `mediaType` schema declares before request validation runs, so
 * one schema serves JSON and form clients alike. Values that cannot be coerced are left as they
 * are, and request validation then refuses them. The body is copied: what the client sent stays
 * as sent (a QuickBlox signature covers the values as sent, `"0042"` and all).
 */
export function coerceBody(operation: Operation, mediaType: string, body: unknown): unknown {
  const schema = (operation.requestBody as { content?: Record<string, { schema?: object }> } | undefined)?.content?.[mediaType]?.schema;
  if (!schema || typeof body !== 'object' || body === null) return body;
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  const copy = structuredClone(body);
  validate(copy);
  return copy;
}
