import type { Middleware } from 'koa';
import { InvalidRequest } from '../errors.js';
import type { RequestState } from '../operations/types.js';

/**
 * True when `value` nests objects or arrays more than `maxDepth` levels deep (a scalar is depth 0,
 * `{}` depth 1). Walks with an explicit stack, so a body nested thousands of levels deep cannot
 * overflow the call stack here, as it would in a recursive walk.
 */
export function nestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** True when `value` holds more than `maxValues` values (object members and array items, at any depth). Iterative. */
export function holdsMoreValuesThan(value: unknown, maxValues: number): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    const children = Object.values(node);
    count += children.length;
    if (count > maxValues) return true;
    for (const child of children) if (typeof child === 'object' && child !== null) stack.push(child);
  }
  return false;
}

/**
 * Refuses a parsed body nested deeper than `maxDepth` before anything recursive touches it:
 * validation, `JSON.stringify` when stored, and every later reader of what was stored (a body
 * some 4,000 levels deep overflowed the stack on the way in, or was stored and broke readers).
 * JSON parsing itself is iterative in V8; form bodies and query strings are parsed by `qs`, which
 * stops at 5 levels.
 */
export function bodyDepthBound(maxDepth: number, maxValues: number): Middleware<RequestState> {
  return async function boundBodyDepth(ctx, next) {
    const body = (ctx.request as { body?: unknown }).body;
    if (nestedDeeperThan(body, maxDepth)) throw new InvalidRequest(`The request body is nested deeper than ${maxDepth} levels`);
    // Validation looks at every member (and reports every unknown one): its work, and its answer,
    // grow with the count, so the count is bounded too (90,000 unknown keys cost a second of CPU).
    if (holdsMoreValuesThan(body, maxValues)) throw new InvalidRequest(`The request body holds more than ${maxValues} values`);
    await next();
  };
}
