import type { Deps } from '../deps.js';

/** QuickBlox accepts a timestamp within an hour of the server's clock (reference §2). */
export const timestampWindowS = 3600;

/**
 * Accepts each (application, timestamp, nonce) of a signed session request once (reference §2:
 * "the same timestamp and nonce may not be sent twice"), so a captured request cannot be replayed.
 * What the timestamp check refuses anyway is forgotten by the server's sweep (src/sweep.ts).
 */
export class NonceLedger {
  constructor(private readonly deps: Pick<Deps, 'repositories'>) {}

  /** True the first time; false for a replay. */
  accept(applicationId: number, timestamp: number, nonce: number): Promise<boolean> {
    return this.deps.repositories.quickbloxNonces.record(applicationId, timestamp, String(nonce));
  }
}
