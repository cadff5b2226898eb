/**
 * A number in a path, a query or a form as people and clients write one: digits, a leading minus
 * and, for a `number`, a fraction; leading zeros are kept (QuickBlox's clients send `0042`). Ajv's
 * type coercion would also take `0x1f`, `1e3`, `+7`, ` 7` and `7 `, which no client means and which
 * no two readers of a log, a cache key or a signature read alike.
 */
const writtenAs = { integer: /^-?\d+$/, number: /^-?\d+(\.\d+)?$/ };

/** Whether `text` is a number of `type` as `writtenAs` says it is written. */
export function writtenAsNumber(text: string, type: 'integer' | 'number'): boolean {
  return writtenAs[type].test(text);
}
