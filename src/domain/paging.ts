import { InvalidRequest } from '../errors.js';

export const defaultPageSize = 10;

/** Cursors are opaque to clients: the id of the last item of the previous page, encoded. */
export function encodeCursor(lastId: number): string {
  return Buffer.from(`id:${lastId}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const match = /^id:(\d{1,10})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  // Ids are 32-bit integers (PostgreSQL's `integer`): anything larger was never issued.
  if (!match || Number(match[1]) > 2_147_483_647) throw new InvalidRequest('cursor is not one this server issued');
  return Number(match[1]);
}

/**
 * Fetches one more than asked, to know whether a next page exists without counting. A fetch that
 * bounds its page by bytes answers `{ items, more }`: it may stop early, and then says so.
 */
export async function page<T extends { id: number }>(
  fetch: (afterId: number, limit: number) => Promise<T[] | { items: T[]; more: boolean }>,
  cursor: string | undefined,
  limit = defaultPageSize,
): Promise<{ items: T[]; cursor?: string }> {
  const fetched = await fetch(decodeCursor(cursor), limit + 1);
  const rows = Array.isArray(fetched) ? fetched : fetched.items;
  const more = rows.length > limit || (!Array.isArray(fetched) && fetched.more);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return more && last ? { items, cursor: encodeCursor(last.id) } : { items };
}
