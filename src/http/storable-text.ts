import type { Middleware } from 'koa';
import { InvalidRequest } from '../errors.js';
import type { RequestState } from '../operations/types.js';
import { unstorable } from '../storable-text.js';

/** True when any string in `value`, key or value, at any depth, is `unstorable`. Iterative, as `nestedDeeperThan`. */
export function holdsUnstorableText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (unstorable(node)) return true;
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        if (unstorable(key)) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

/** The path as the router will read it; a path that is not valid percent-encoding is refused later, by the router. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return '';
  }
}

/**
 * Refuses, before anything reads the request for its meaning, text the database cannot hold: in the
 * decoded path, the query (names and values, as any decoder reads `%00`), the headers (credentials
 * are looked up by them; Node's parser already refuses a raw NUL there) and the parsed body's keys
 * and strings, JSON and form alike. One check at the door instead of one per query that might meet it.
 */
export function storableTextOnly(): Middleware<RequestState> {
  return async function refuseUnstorableText(ctx, next) {
    const part =
      unstorable(decodedPath(ctx.path)) ? 'path'
      : /%00/i.test(ctx.querystring) || holdsUnstorableText(ctx.query) ? 'query'
      : holdsUnstorableText(ctx.headers) ? 'headers'
      : holdsUnstorableText((ctx.request as { body?: unknown }).body) ? 'body'
      : undefined;
    if (part) throw new InvalidRequest(`The request ${part} holds a NUL character or an unpaired UTF-16 surrogate, which cannot be stored`);
    await next();
  };
}
