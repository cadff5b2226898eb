/**
 * The JSON Schema openapi.yaml declares for a transaction's response body, in a form Gavel (Dredd's
 * validator: Ajv 6, JSON Schema draft-07) understands.
 *
 * Dredd 14 does not check OpenAPI 3 response bodies against their schemas (apiaryio/dredd#1281): it
 * generates an example from the schema, optional properties included, and Gavel then demands every
 * key of that example. That is both too weak (no types, no `additionalProperties: false`) and too
 * strict (an optional `cursor` becomes required). Handing Gavel the real schema fixes both.
 */
import fs = require('node:fs');
import path = require('node:path');
import YAML = require('yaml');
import type hooks = require('hooks');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const document = YAML.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'openapi.yaml'), 'utf8')) as JsonObject;

const isObject = (value: Json | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Follows a local `$ref` (the spec has no remote ones). */
function resolve(node: Json | undefined): Json | undefined {
  if (!isObject(node) || typeof node.$ref !== 'string') return node;
  const target = node.$ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<Json | undefined>((at, key) => (isObject(at) ? at[key] : undefined), document);
  if (target === undefined) throw new Error(`openapi.yaml: unresolvable $ref ${node.$ref}`);
  return resolve(target);
}

/** Formats Ajv 6 knows; OpenAPI's own (`int64`, `int32`…) would make it refuse the schema. */
const knownFormats = new Set(['date', 'time', 'date-time', 'uri', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);
const annotations = new Set(['example', 'description', 'readOnly', 'writeOnly', 'deprecated', 'xml', 'externalDocs']);

/** An OpenAPI 3.0 Schema Object as JSON Schema: refs inlined, `nullable` as a `null` type. */
function toJsonSchema(node: Json | undefined): Json | undefined {
  const schema = resolve(node);
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item) as Json);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (annotations.has(key) || key === 'nullable') continue;
    if (key === 'format' && !knownFormats.has(String(value))) continue;
    if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, toJsonSchema(property) as Json]));
    } else if (['items', 'additionalProperties', 'oneOf', 'anyOf', 'allOf', 'not'].includes(key)) {
      out[key] = toJsonSchema(value) as Json;
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

/** The schema of the JSON body the spec documents for this transaction's expected status, if any. */
function responseSchema(transaction: hooks.Transaction): object | undefined {
  const pathItem = resolve((document.paths as JsonObject)[transaction.origin.resourceName]);
  const operation = isObject(pathItem) ? pathItem[transaction.request.method.toLowerCase()] : undefined;
  const responses = isObject(operation) ? operation.responses : undefined;
  const response = isObject(responses) ? resolve(responses[transaction.expected.statusCode]) : undefined;
  const content = isObject(response) && isObject(response.content) ? response.content['application/json'] : undefined;
  if (!isObject(content) || content.schema === undefined) return undefined;
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...(toJsonSchema(content.schema) as JsonObject) };
}

/** What the hooks read of an operation (the spec is parsed YAML: this is its shape, not checked). */
interface DeclaredOperation {
  summary: string;
  security?: Record<string, string[]>[];
  responses: Record<string, Json>;
}

/** The operations of the spec, with their path templates (`$ref`s in them unresolved). */
function operations(): { pathTemplate: string; method: string; operation: DeclaredOperation }[] {
  return Object.entries(document.paths as JsonObject).flatMap(([pathTemplate, item]) =>
    ['get', 'put', 'post', 'delete', 'patch'].flatMap((method) => {
      const operation = isObject(item) ? item[method] : undefined;
      return isObject(operation) ? [{ pathTemplate, method, operation: operation as unknown as DeclaredOperation }] : [];
    }),
  );
}

export = { responseSchema, operations };
