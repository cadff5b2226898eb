import type { Operation } from 'openapi-backend';
import { addFormats, Ajv } from './ajv-interop.js';
import { familyOf } from './families.js';
import { writtenAsNumber } from './number-spelling.js';

const ajv = new Ajv({ coerceTypes: true, strict: false, allErrors: true });
addFormats(ajv);
const compiled = new WeakMap<object, ReturnType<Ajv['compile']>>();

const form = 'application/x-www-form-urlencoded';
const json = 'application/json';

/** A number written as a string: digits, an optional sign and fraction (`"42"`, `"0042"`, `"-1.5"`). */
const numericString = /^-?\d{1,20}(\.\d{1,20})?$/;

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; additionalProperties?: boolean | Schema; items?: Schema };

/** The types a schema allows (`type: [integer, "null"]` or one). */
const typesOf = (schema: Schema): (string | undefined)[] => (Array.isArray(schema.type) ? schema.type : [schema.type]);

/**
 * A copy of a value, new objects and lists throughout, with each string given to `change` along
 * with the schema that describes it (`properties`, `additionalProperties`, `items`); a value the
 * schema does not describe is kept as it is.
 */
function withStrings(schema: Schema | undefined, value: unknown, change: (schema: Schema, text: string) => unknown): unknown {
  if (!schema) return value;
  if (typeof value === 'string') return change(schema, value);
  if (Array.isArray(value)) return value.map((item) => withStrings(schema.items, item, change));
  if (value === null || typeof value !== 'object') return value;
  const extra = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
  const fieldSchema = (name: string) => (schema.properties && Object.hasOwn(schema.properties, name) ? schema.properties[name] : extra);
  // `fromEntries` defines each field as its own, whatever its name (`__proto__` sets no prototype).
  return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, withStrings(fieldSchema(name), inner, change)]));
}

/**
 * JSON: every numeric string the schema types as a number made one, and nothing else changed:
 * unlike a form, JSON has types of its own, and a `null` or `true` sent for a number stays what it
 * is (and validation says so) rather than becoming 0 or 1. A number past 2^53 would not be the one
 * sent: it stays a string, and validation refuses it.
 */
function numberFromString(schema: Schema, text: string): unknown {
  const types = typesOf(schema);
  const numeric = (types.includes('integer') || types.includes('number')) && numericString.test(text) && Math.abs(Number(text)) <= Number.MAX_SAFE_INTEGER;
  return numeric ? Number(text) : text;
}

/**
 * Forms: a number field written otherwise than as digits (`writtenAsNumber`: `0x2`, `1e3`, `+7`)
 * is put out of reach of Ajv's coercion, which would read it as a number: it becomes a list of
 * itself, which no coercion turns into a number, so validation answers "must be integer" for that
 * field. Only the copy validation sees changes: the form as sent is kept (a QuickBlox signature
 * covers it).
 */
function misspeltNumberOutOfReach(schema: Schema, text: string): unknown {
  const types = typesOf(schema);
  if (types.includes('string')) return text;
  const type = types.includes('integer') ? 'integer' : types.includes('number') ? 'number' : undefined;
  return type && !writtenAsNumber(text, type) ? [text] : text;
}

/**
 * The media type whose schema a body's strings are coerced to, or undefined when it is taken as
 * sent. A form body always arrives as strings (`application_id=42`, `ttl=2000`). A JSON body to a
 * QuickBlox route may have numbers as strings: QuickBlox's own curl examples send every value as
 * one (`{"application_id":"2","timestamp":"1333630580",…}`), and its server takes them (reference
 * §2). Other families' JSON keeps its types: a Usergrid or OAuth client that sends a string for a
 * number is told so.
 */
export function coercedMediaType(operation: Operation, is: (type: string) => boolean): string | undefined {
  if (is(form)) return form;
  if (is(json) && familyOf(operation) === 'quickblox') return json;
  return undefined;
}

/**
 * Coerces a body to the types its `mediaType` schema declares before request validation runs, so
 * one schema serves JSON and form clients alike: every value of a form, the numeric strings of
 * JSON. Values that cannot be coerced are left as they are, and request validation then refuses
 * them. The body is copied: what the client sent stays as sent (a QuickBlox signature covers the
 * values as sent, `"0042"` and all).
 */
export function coerceBody(operation: Operation, mediaType: string, body: unknown): unknown {
  const schema = (operation.requestBody as { content?: Record<string, { schema?: object }> } | undefined)?.content?.[mediaType]?.schema;
  if (!schema || typeof body !== 'object' || body === null) return body;
  if (mediaType === json) return withStrings(schema as Schema, body, numberFromString);
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  // A copy with new objects and lists throughout: Ajv's coercion, in place, changes only them.
  const copy = withStrings(schema as Schema, body, misspeltNumberOutOfReach);
  validate(copy);
  return copy;
}
