/** The records a unique index keeps apart (by name, username or email), in the domain's words. */
export type RecordKind = 'organization' | 'admin user' | 'application' | 'application user' | 'role' | 'group' | 'entity';

/**
 * A write refused because another record of its kind already holds a value that must be unique.
 * Repositories throw it instead of the driver's error, so no caller needs to know which database
 * said so. It carries no HTTP meaning: each route family words a duplicate its own way (Usergrid's
 * 409, QuickBlox's "has already been taken"), so the caller that knows the route answers it, and
 * one nobody answers stays a 500 like any unexpected error.
 */
export class DuplicateRecord extends Error {
  constructor(
    readonly record: RecordKind,
    driverError: unknown,
    /** The value that must be unique, when no index says it (an application user's `external_user_id`). */
    readonly field?: 'external_user_id',
  ) {
    // The driver's message names the index, which an operator needs when a duplicate nobody
    // answers stops the start (a superuser name an admin already has) or is logged as a 500.
    super(driverError instanceof Error ? driverError.message : String(driverError), { cause: driverError });
    this.name = 'DuplicateRecord';
  }
}

/** True when a write failed on a unique index, on either database. Only repositories ask. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || (e?.code === 'SQLITE_CONSTRAINT' && /UNIQUE/i.test(e.message ?? ''));
}

/** Runs a repository's write; a unique index refusing it comes out as `DuplicateRecord` of `record`. */
export async function refusingDuplicates<T>(record: RecordKind, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw isUniqueViolation(error) ? new DuplicateRecord(record, error) : error;
  }
}

/** For a caller's `.catch`: a duplicate becomes the caller's own answer; any other error passes as it was. */
export function onDuplicate(answer: (duplicate: DuplicateRecord) => Error): (error: unknown) => never {
  return (error) => {
    throw error instanceof DuplicateRecord ? answer(error) : error;
  };
}
