import type { Deps } from '../deps.js';

/** QuickBlox accepts a timestamp within an hour of the server's clock (reference §2). */
export const timestampWindowS = 3600;

/**
 * Accepts each (application, timestamp, nonce) of a signed session request once (reference §2:
 * "the same timestamp and nonce may not be sent twice"), so a captured request cannot be replayed.
 * What the timestamp check refuses anyway is forgotten, at most once a minute.
 */
export class NonceLedger {
  private lastPurge = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: Pick<Deps, 'repositories' | 'clock'>) {}

  /** True the first time; false for a replay. */
  async accept(applicationId: number, timestamp: number, nonce: number): Promise<boolean> {
    const now = this.deps.clock.now();
    if (now - this.lastPurge >= 60_000) {
      this.lastPurge = now;
      await this.deps.repositories.quickbloxNonces.purgeBefore(Math.floor(now / 1000) - timestampWindowS - 60);
    }
    return this.deps.repositories.quickbloxNonces.record(applicationId, timestamp, String(nonce));
  }
}
