import { InvalidRequest } from '../errors.js';

export const defaultPageSize = 10;

/** Cursors are opaque to clients: the id of the last item of the previous page, encoded. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(`id:${lastId}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^id:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new InvalidRequest('cursor is not one this server issued');
  return Number(match[1]);
}

/** Fetches one more than asked, to know whether a next page exists without counting. */
export async function page<T extends { id: number }>(
  fetch: (afterId: number, limit: number) => Promise<T[]>,
  cursor: string | undefined,
  limit = defaultPageSize,
): Promise<{ items: T[]; cursor?: string }> {
  const rows = await fetch(decodeCursor(cursor), limit + 1);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return rows.length > limit && last ? { items, cursor: encodeCursor(last.id) } : { items };
}
